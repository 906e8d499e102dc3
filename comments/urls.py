from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("blog/<slug:slug>/kommentieren/", views.CommentPostView.as_view(), name="post"),
    path("kommentare/moderieren/<str:token>/", views.ModerateView.as_view(), name="moderate"),
    path(
        "kommentare/benachrichtigung/bestaetigen/<str:token>/",
        views.NoticeConfirmView.as_view(),
        name="notify_confirm",
    ),
    path(
        "kommentare/benachrichtigung/abbestellen/<str:token>/",
        views.NoticeUnsubscribeView.as_view(),
        name="notify_unsubscribe",
    ),
]
