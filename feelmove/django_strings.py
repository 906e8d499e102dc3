"""Strings of Django itself (5.2) that its German catalogue lacks; ours translates them.

Listed here only so that `make messages` keeps them in locale/de/LC_MESSAGES/django.po: Django
looks them up by the same msgid, and the project's catalogue (LOCALE_PATHS) is merged over
Django's own. Nothing imports this module. The strings of the admin's JavaScript are in
feelmove/django_strings.js (domain `djangojs`). tests/feelmove/test_translations.py fails when a
new Django release adds a string its German catalogue lacks: add it here or there.
"""

from django.utils.translation import gettext_noop

MISSING_IN_DJANGO_GERMAN = [
    # django/conf/locale: a form choice that no longer exists
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    # django/contrib/admin: the user admin and the password reset e-mail
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication for this user."
    ),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("In case you’ve forgotten, you are:"),
    # django/contrib/auth: the user admin's password field
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Set password: %s"),
    gettext_noop("Reset password"),
    gettext_noop("Set password"),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, "
        "they may still be able to authenticate using other backends, such as Single Sign-On "
        "or LDAP."
    ),
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
]
