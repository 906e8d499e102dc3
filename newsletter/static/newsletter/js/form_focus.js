// A form sent back with errors: put the focus on its first field with an error (the form marks
// it `autofocus`). The attribute alone does not do it here: browsers skip autofocus when the
// address names an anchor (the form's action ends in its anchor so that the page opens there),
// and moving to that anchor clears the focus, so this waits until the page has loaded.
(function () {
  "use strict";
  var field = document.querySelector("form [autofocus]");
  if (!field) {
    return;
  }
  function focus() {
    field.focus();
  }
  if (document.readyState === "complete") {
    focus();
  } else {
    window.addEventListener("load", focus);
  }
})();
