"""Under /admin/ (included before the admin's own URLs in feelmove/urls.py)."""

from django.urls import path

from twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("login/", views.AdminLoginView.as_view(), name="login"),
    path("anmelden/code/", views.VerifyView.as_view(), name="verify"),
    path("profil/", views.profile, name="profile"),
    path("profil/browser/<int:pk>/vergessen/", views.browser_forget, name="browser_forget"),
    path("profil/browser/alle-vergessen/", views.browsers_forget_all, name="browsers_forget_all"),
    path("profil/app/starten/", views.app_start, name="app_start"),
    path("profil/app/", views.app_setup, name="app_setup"),
    path("profil/app/entfernen/", views.app_remove, name="app_remove"),
    path("profil/wiederherstellungscodes/", views.recovery_codes_renew, name="recovery_codes"),
]
