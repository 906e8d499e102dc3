"use strict";
// Mends what axe finds in Django's own admin widgets (loaded on every admin page):
// - the search icons of the two-box widget (tags) carry aria-label without a role: role="img";
// - select2's search box (related articles) has no label: it gets the name of its field;
// - select2's "remove all" cross sits as a <span> in its list: hidden from screen readers
//   (Backspace removes choices from the keyboard).
// The widgets build their markup after the page has loaded, and select2 again on every change.
(function () {
    const WIDGETS = ".select2-container, .selector";

    function fieldName(container) {
        const select = container.previousElementSibling;
        if (!select || select.tagName !== "SELECT" || !select.id) {
            return "";
        }
        const label = document.querySelector('label[for="' + select.id + '"]');
        return label ? label.textContent.replace(/[:\s]+$/, "").trim() : "";
    }

    function mend(root) {
        root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach((icon) => {
            icon.setAttribute("role", "img");
        });
        root.querySelectorAll(".select2-container").forEach((container) => {
            const name = fieldName(container);
            container.querySelectorAll(".select2-search__field:not([aria-label])").forEach((input) => {
                if (name) {
                    input.setAttribute("aria-label", name);
                }
            });
            container.querySelectorAll(".select2-selection__clear:not([aria-hidden])").forEach((cross) => {
                cross.setAttribute("aria-hidden", "true");
            });
        });
    }

    function start() {
        const main = document.getElementById("content") || document.body;
        mend(main);
        new MutationObserver((records) => {
            for (const record of records) {
                const target = record.target.nodeType === 1 ? record.target : record.target.parentElement;
                const widget = target && (target.closest(WIDGETS) || (target.querySelector && target.querySelector(WIDGETS) && target));
                if (widget) {
                    mend(widget.parentElement || widget);
                }
            }
        }).observe(main, {childList: true, subtree: true});
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
