// Session-expiry warning (issue 9): a few minutes before the idle timeout
// (SESSION_IDLE_SECONDS) a banner says when the person will be signed out,
// with one button to stay signed in.  Any request to the server restarts
// the timeout, so htmx requests and the button restart the clock here too.
// If the session expires anyway, the banner says so; a form saved then is
// kept on the server for its owner (core/drafts.py), never in the browser.
(() => {
  const body = document.body;
  const idle = Number(body.dataset.sessionIdle || 0);
  const box = document.getElementById("session-warning");
  if (!idle || !box) return;
  const warnBefore = Math.min(Number(body.dataset.sessionWarning || 300), idle / 2);
  const message = box.querySelector("[data-session-message]");
  const form = box.querySelector("form[data-session-extend]");
  const japanese = (document.documentElement.lang || "ja").startsWith("ja");
  let warnTimer = 0;
  let expireTimer = 0;
  let deadline = 0;

  const clock = (ms) => {
    const at = new Date(ms);
    const minutes = String(at.getMinutes()).padStart(2, "0");
    const hours = japanese ? String(at.getHours()) : String(at.getHours()).padStart(2, "0");
    return `${hours}:${minutes}`;
  };

  const showSoon = () => {
    message.textContent = message.dataset.soon.replace("{time}", clock(deadline));
    form.hidden = false;
    box.hidden = false;
    box.dataset.state = "soon";
  };

  const showExpired = () => {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
    message.textContent = message.dataset.expired;
    form.hidden = true;
    box.hidden = false;
    box.dataset.state = "expired";
  };

  const restart = () => {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
    deadline = Date.now() + idle * 1000;
    box.hidden = true;
    box.dataset.state = "idle";
    warnTimer = setTimeout(showSoon, (idle - warnBefore) * 1000);
    expireTimer = setTimeout(showExpired, idle * 1000);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      // An expired session answers with the sign-in page, not JSON.
      const json = (response.headers.get("content-type") || "").includes("application/json");
      if (response.ok && json && !response.redirected) {
        restart();
      } else {
        showExpired();
      }
    } catch {
      showExpired();
    }
  });
  document.addEventListener("htmx:afterRequest", restart);
  restart();
})();
