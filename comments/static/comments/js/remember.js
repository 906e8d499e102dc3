// "Name, E-Mail und Website in diesem Browser speichern": kept in this browser's localStorage
// only (no cookie, so the page stays cacheable), filled into the next comment form, forgotten when
// the box is unticked. Without JavaScript (or storage) the box stays hidden and the form works.
(function () {
  "use strict";
  var KEY = "feelmove.comment-author";
  var FIELDS = ["name", "email", "url"];
  var box = document.querySelector("[data-remember-box]");
  var wrap = document.querySelector("[data-remember]");
  var form = box ? box.form : null;
  if (!box || !wrap || !form) {
    return;
  }
  var storage;
  try {
    storage = window.localStorage;
    storage.setItem(KEY + ".test", "1");
    storage.removeItem(KEY + ".test");
  } catch (error) {
    return;
  }

  function saved() {
    try {
      var value = JSON.parse(storage.getItem(KEY) || "null");
      return value && typeof value === "object" ? value : null;
    } catch (error) {
      return null;
    }
  }

  function save() {
    var value = {};
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      value[name] = field ? field.value : "";
    });
    try {
      storage.setItem(KEY, JSON.stringify(value));
    } catch (error) {
      // Storage full or switched off: the comment is sent all the same.
    }
  }

  var remembered = saved();
  if (remembered) {
    box.checked = true;
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      // What the page brings back (a rejected comment) wins over what was kept.
      if (field && !field.value && typeof remembered[name] === "string") {
        field.value = remembered[name];
      }
    });
  }
  wrap.hidden = false;

  box.addEventListener("change", function () {
    if (box.checked) {
      save();
    } else {
      storage.removeItem(KEY);
    }
  });
  form.addEventListener("submit", function () {
    if (box.checked) {
      save();
    }
  });
})();
