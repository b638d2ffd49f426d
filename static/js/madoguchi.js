// Madoguchi: small behaviours for server-rendered pages.  No inline script
// anywhere (Content-Security-Policy), so page behaviour lives here.
document.addEventListener("DOMContentLoaded", () => {
  // Forms marked data-once are submitted once: a double click or a second
  // Enter does not post twice (the server also refuses duplicates).
  document.querySelectorAll("form[data-once]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.submitted === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.submitted = "1";
    });
  });
});
