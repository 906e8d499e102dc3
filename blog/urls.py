from django.urls import path

from blog import views

app_name = "blog"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("blog/kategorie/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("blog/tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("blog/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
]
