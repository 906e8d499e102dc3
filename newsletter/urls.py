from django.urls import path

from newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("newsletter/", views.SignupView.as_view(), name="signup"),
    path("newsletter/fast-geschafft/", views.SignupDoneView.as_view(), name="signup_done"),
    path("newsletter/bestaetigen/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("newsletter/bestaetigt/<str:token>/", views.ConfirmedView.as_view(), name="confirmed"),
    path("newsletter/abmelden/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("gratis-guide/", views.GuideLandingView.as_view(), name="guide"),
    path(
        "gratis-guide/download/<str:token>/",
        views.GuideDownloadView.as_view(),
        name="guide_download",
    ),
    path(
        "gratis-guide/neuer-link/", views.GuideLinkRequestView.as_view(), name="guide_link_request"
    ),
    path(
        "gratis-guide/neuer-link/gesendet/",
        views.GuideLinkSentView.as_view(),
        name="guide_link_sent",
    ),
]
