/* A "PDF" button in the CKEditor 5 toolbar: uploads a PDF to the editor's upload URL (our checked
   view, blog.uploads) and links it at the cursor, or on the selected text.

   django-ckeditor-5's bundled build has no file upload plugin, so the button is added to the
   running editor. Texts come translated from the widget template (data-* attributes). */
(function () {
    "use strict";

    // CKEditor's German catalogue names the image caption button "Tabellenüberschrift" (the
    // table and image buttons share one text). Corrected before the editors are created;
    // config.translations would replace the whole catalogue instead.
    const german = window.CKEDITOR_TRANSLATIONS && window.CKEDITOR_TRANSLATIONS.de;
    if (german && german.dictionary) {
        german.dictionary["Toggle caption on"] = "Bildunterschrift hinzufügen";
        german.dictionary["Toggle caption off"] = "Bildunterschrift entfernen";
    }

    const PDF_ICON =
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20">' +
        '<path d="M5 1.5h7l4 4v13H5z" fill="none" stroke="currentColor" stroke-width="1.5"/>' +
        '<path d="M12 1.5v4h4" fill="none" stroke="currentColor" stroke-width="1.5"/>' +
        '<text x="10.5" y="15" font-size="5.5" font-family="sans-serif" font-weight="bold" ' +
        'text-anchor="middle" fill="currentColor">PDF</text></svg>';

    function csrfToken() {
        const input = document.querySelector("input[name=csrfmiddlewaretoken]");
        if (input) {
            return input.value;
        }
        const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : "";
    }

    function linkText(fileName) {
        const base = fileName.replace(/\.pdf$/i, "").replace(/[_]+/g, " ").trim();
        return (base || "Dokument") + " (PDF)";
    }

    function warn(editor, message, title) {
        const notification = editor.plugins.has("Notification")
            ? editor.plugins.get("Notification")
            : null;
        if (notification) {
            notification.showWarning(message, { title: title, namespace: "upload" });
        } else {
            window.alert(message);
        }
    }

    function insertLink(editor, url, text) {
        const model = editor.model;
        const selection = model.document.selection;
        if (!selection.isCollapsed) {
            editor.execute("link", url);
            return;
        }
        model.change((writer) => {
            model.insertContent(writer.createText(text, { linkHref: url }));
            // Typing on after the link should not extend it.
            writer.removeSelectionAttribute("linkHref");
        });
        editor.editing.view.focus();
    }

    function upload(editor, file, options, button) {
        const body = new FormData();
        body.append("upload", file);
        button.isEnabled = false;
        button.label = options.uploading;
        return fetch(options.uploadUrl, {
            method: "POST",
            body: body,
            credentials: "same-origin",
            headers: { "X-CSRFToken": csrfToken() },
        })
            .then((response) => response.json().catch(() => ({ error: { message: options.failed } })))
            .then((data) => {
                if (data && data.url) {
                    insertLink(editor, data.url, linkText(file.name));
                } else {
                    const message = data && data.error && data.error.message;
                    warn(editor, message || options.failed, options.title);
                }
            })
            .catch(() => warn(editor, options.failed, options.title))
            .finally(() => {
                button.isEnabled = true;
                button.label = options.label;
            });
    }

    function addButton(editor, options) {
        const toolbar = editor.ui.view.toolbar;
        // The build exports no classes; a fresh "undo" button gives us CKEditor's ButtonView.
        const ButtonView = editor.ui.componentFactory.create("undo").constructor;
        const button = new ButtonView(editor.locale);
        button.set({ label: options.label, icon: PDF_ICON, tooltip: true });
        button.extendTemplate({ attributes: { class: "blog-file-link-button" } });

        const input = document.createElement("input");
        input.type = "file";
        input.accept = "application/pdf,.pdf";
        input.hidden = true;
        input.className = "blog-file-link-input";
        input.dataset.editorId = options.editorId;
        input.addEventListener("change", () => {
            const file = input.files && input.files[0];
            input.value = "";
            if (file) {
                upload(editor, file, options, button);
            }
        });
        editor.ui.view.element.after(input);
        button.on("execute", () => input.click());

        // Right after the image button, so both uploads sit together.
        let position = toolbar.items.length;
        toolbar.items.map((item, index) => {
            const element = item.element;
            if (element && (element.matches(".ck-file-dialog-button") ||
                            element.querySelector(".ck-file-dialog-button"))) {
                position = index + 1;
            }
            return null;
        });
        toolbar.items.add(button, position);
    }

    function setUp() {
        document.querySelectorAll(".blog-file-link[data-editor-id]").forEach((holder) => {
            const options = Object.assign({}, holder.dataset);
            const ready = (editor) => addButton(editor, options);
            const existing = window.editors && window.editors[options.editorId];
            if (existing) {
                ready(existing);
            } else if (typeof window.ckeditorRegisterCallback === "function") {
                window.ckeditorRegisterCallback(options.editorId, ready);
            }
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", setUp);
    } else {
        setUp();
    }
})();
