from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from blog.uploads import editor_upload
from feelmove import views
from feelmove.sitemaps import sitemaps

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
    # The log-in with its second factor and the staff profile, before the admin's own URLs.
    path("admin/", include("twofactor.urls")),
    path("admin/", admin.site.urls),
    # Our checked upload view takes the editor's upload URL before django-ckeditor-5's own view.
    path("ckeditor5/image_upload/", editor_upload, name="ck_editor_5_upload_file"),
    path("ckeditor5/", include("django_ckeditor_5.urls")),
    path("", include("comments.urls")),
    path("", include("newsletter.urls")),
    path("", include("mydata.urls")),
    path("", include("contact.urls")),
    path("", include("blog.urls")),
]

if settings.DEBUG and settings.MEDIA_URL.startswith("/"):
    from feelmove.media import serve_media

    urlpatterns.append(path(f"{settings.MEDIA_URL.lstrip('/')}<path:name>", serve_media))

handler404 = "feelmove.views.page_not_found"
handler500 = "feelmove.views.server_error"
