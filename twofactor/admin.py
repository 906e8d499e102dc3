"""django-otp registers its devices in the admin; here they are managed on the profile page.

The admin lists would show the app's secret key to every superuser; a staff member sets up her
app and recovery codes on her own profile page, and the operator resets a lost second factor
with `manage.py reset_second_factor USERNAME`.
"""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
