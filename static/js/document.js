// The document page's Print button (documents app).  The print itself is
// recorded by madoguchi.js on the browser's beforeprint event.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
