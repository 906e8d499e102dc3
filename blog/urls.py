from django.urls import path
from django.views.generic import RedirectView

from blog import feeds, views

app_name = "blog"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("suche/", views.SearchView.as_view(), name="search"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    # The article list lives at the home page; /blog/ is only ever a way there.
    path("blog/", RedirectView.as_view(url="/", permanent=True), name="blog_index"),
    path("blog/kategorie/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("blog/tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("blog/archiv/<int:year>/", views.YearArchiveView.as_view(), name="archive_year"),
    path("blog/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
]
