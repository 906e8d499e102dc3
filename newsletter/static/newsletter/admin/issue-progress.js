"use strict";
// The delivery progress on an issue's admin page: asks the admin for the numbers every few
// seconds while the issue is being sent and updates them in place, no reload needed.
(function () {
    const box = document.getElementById("issue-progress");
    if (!box || box.dataset.status !== "sending") {
        return;
    }
    const every = Number(box.dataset.every || 3000);

    function show(data) {
        for (const key of ["sent", "total", "open", "failed", "skipped", "unclear"]) {
            const element = box.querySelector('[data-count="' + key + '"]');
            if (element && element.textContent !== String(data[key])) {
                element.textContent = data[key];
            }
        }
        const bar = box.querySelector("progress");
        bar.max = data.total || 1;
        bar.value = data.sent;
        box.querySelector('[data-field="status_label"]').textContent = data.status_label;
        box.querySelector('[data-field="sent_at"]').textContent = data.sent_at ? ", " + data.sent_at : "";
        box.querySelector(".issue-progress-failed").classList.toggle("has-failed", data.failed > 0);
        box.querySelector(".issue-progress-unclear").hidden = !data.unclear;
        box.dataset.status = data.status;
        if (data.finished) {
            const note = box.querySelector(".issue-progress-note");
            if (note) {
                note.remove();
            }
        }
    }

    function poll() {
        fetch(box.dataset.url, {
            credentials: "same-origin",
            cache: "no-store",
            headers: {"Accept": "application/json"},
        })
            .then((response) => {
                // Logged out (the login page), the issue deleted or no right to see it: the page
                // keeps the last numbers and stops asking; a server error is asked again later.
                if (response.redirected || (response.status >= 400 && response.status < 500)) {
                    return "stop";
                }
                return response.ok ? response.json() : null;
            })
            .then((data) => {
                if (data === "stop") {
                    return;
                }
                if (data) {
                    show(data);
                }
                if (!data || !data.finished) {
                    window.setTimeout(poll, data ? every : every * 2);
                }
            })
            .catch(() => window.setTimeout(poll, every * 2));
    }

    window.setTimeout(poll, every);
})();
