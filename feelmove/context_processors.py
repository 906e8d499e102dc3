"""Values every template needs: site name, navigation, social links."""

from django.conf import settings


def site(request):
    from blog.models import Category

    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "SITE_URL": settings.SITE_URL,
        "SOCIAL_LINKS": settings.SOCIAL_LINKS,
        # Lazy: evaluated once, only by templates that render the navigation.
        "nav_categories": Category.objects.order_by("name").only("name", "slug"),
    }
