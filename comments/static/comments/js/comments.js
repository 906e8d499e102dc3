// "Antworten" without a page load: move the comment form under the comment and set `parent`.
// Without JavaScript the links still work: ?antwort=<id>#kommentar-formular prefills the form.
(function () {
  "use strict";
  var form = document.querySelector("[data-comment-form]");
  var home = document.querySelector("[data-comment-form-home]");
  if (!form || !home) {
    return;
  }
  var parentInput = form.querySelector("[data-parent-input]");
  var replying = form.querySelector("[data-replying]");
  var replyingName = form.querySelector("[data-replying-name]");
  var cancel = form.querySelector("[data-reply-cancel]");
  var body = form.querySelector("textarea");
  if (!parentInput || !replying || !replyingName || !cancel) {
    return;
  }

  function replyTo(id, name) {
    var slot = document.querySelector('[data-slot-for="' + id + '"]');
    if (!slot) {
      return false;
    }
    parentInput.value = id;
    replyingName.textContent = name;
    replyingName.setAttribute("href", "#kommentar-" + id);
    replying.hidden = false;
    slot.appendChild(form);
    if (body) {
      body.focus();
    }
    return true;
  }

  function cancelReply() {
    parentInput.value = "";
    replying.hidden = true;
    home.parentNode.insertBefore(form, home.nextSibling);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".comment-reply-link") : null;
    if (link && replyTo(link.getAttribute("data-comment-id"), link.getAttribute("data-comment-name"))) {
      event.preventDefault();
    }
  });
  cancel.addEventListener("click", function (event) {
    event.preventDefault();
    cancelReply();
    if (body) {
      body.focus();
    }
  });

  // A rejected comment came back (its URL ends in #kommentar-formular, so the browser has brought
  // the form into view): the answer goes back under the comment she answers, and focus goes to
  // the first marked field or, without one, to the message. After the load: the browser's own
  // scrolling to the anchor would otherwise take the focus away again.
  var rejected = form.querySelector("form[data-rejected]");
  if (rejected) {
    var parentId = parentInput.value;
    var slot = parentId ? document.querySelector('[data-slot-for="' + parentId + '"]') : null;
    if (slot) {
      slot.appendChild(form);
    }
    var target =
      rejected.querySelector(".is-invalid") ||
      form.querySelector("[data-form-message]") ||
      rejected.querySelector(".alert");
    if (target) {
      if (!target.hasAttribute("tabindex") && !/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) {
        target.setAttribute("tabindex", "-1");
      }
      var focusTarget = function () {
        window.setTimeout(function () {
          target.focus();
        }, 0);
      };
      if (document.readyState === "complete") {
        focusTarget();
      } else {
        window.addEventListener("load", focusTarget);
      }
    }
  }
})();
