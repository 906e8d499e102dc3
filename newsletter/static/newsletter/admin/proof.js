// The "Print" button of the proof of consent (a file, because the admin's CSP forbids inline code).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-print]");
  if (button) {
    button.addEventListener("click", () => window.print());
  }
});
