// Strings of the Django admin's JavaScript (5.2) that its German catalogue lacks; ours
// (locale/de/LC_MESSAGES/djangojs.po) translates them, and the admin's JavaScript catalogue
// (/admin/jsi18n/) merges ours over Django's. This file is never loaded: it is here only so that
// `make messages` keeps the strings. See feelmove/django_strings.py.
"use strict";
const MISSING_IN_DJANGO_GERMAN = [
    // admin/js/SelectFilter2.js: the two-box widget of tags (filter_horizontal)
    gettext('Choose %s by selecting them and then select the "Choose" arrow button.'),
    gettext("Choose all %s"),
    gettext("Choose selected %s"),
    gettext("Remove selected %s"),
    gettext('Remove %s by selecting them and then select the "Remove" arrow button.'),
    gettext("(click to clear)"),
    gettext("Remove all %s"),
];
