// "Link kopieren": copies the article's address. Without JavaScript the button stays hidden.
(function () {
  "use strict";
  var button = document.querySelector("[data-share-copy]");
  var status = document.querySelector("[data-share-status]");
  if (!button || !status) {
    return;
  }

  function copyBySelection(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (error) {
      done = false;
    }
    document.body.removeChild(field);
    return done;
  }

  function tell(ok) {
    status.textContent = button.getAttribute(ok ? "data-copied" : "data-failed");
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    var url = button.getAttribute("data-share-copy");
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(
        function () { tell(true); },
        function () { tell(copyBySelection(url)); }
      );
    } else {
      tell(copyBySelection(url));
    }
  });
})();
