from django.urls import path

from contact import views

app_name = "contact"

urlpatterns = [
    path("kontakt/", views.ConsultationRequestView.as_view(), name="request"),
    path("kontakt/danke/", views.ThanksView.as_view(), name="thanks"),
]
