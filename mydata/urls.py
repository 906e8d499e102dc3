from django.urls import path

from mydata import views

app_name = "mydata"

urlpatterns = [
    path("meine-daten/", views.RequestView.as_view(), name="request"),
    path("meine-daten/gesendet/", views.SentView.as_view(), name="sent"),
    path("meine-daten/geloescht/", views.ErasedView.as_view(), name="erased"),
    path("meine-daten/<str:token>/", views.DataView.as_view(), name="data"),
    path("meine-daten/<str:token>/herunterladen/", views.DownloadView.as_view(), name="download"),
    path("meine-daten/<str:token>/abmelden/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path(
        "meine-daten/<str:token>/abgemeldet/",
        views.UnsubscribedView.as_view(),
        name="unsubscribed",
    ),
    path("meine-daten/<str:token>/loeschen/", views.EraseView.as_view(), name="erase"),
]
