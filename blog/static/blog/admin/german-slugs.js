/* Slugs the German way in the admin: "Rücken" becomes "ruecken", as the site's own slugs do.
   Django's prepopulate.js calls the global URLify(); we transliterate umlauts before it runs. */
(function () {
    "use strict";
    const GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"};
    const original = window.URLify;
    if (typeof original !== "function" || original.feelmoveGerman) {
        return;
    }
    const german = function (text, numChars, allowUnicode) {
        return original(String(text).replace(/[äöüÄÖÜß]/g, (c) => GERMAN[c]), numChars, allowUnicode);
    };
    german.feelmoveGerman = true;
    window.URLify = german;
})();
