// Madoguchi: small behaviours for server-rendered pages.  No inline script
// anywhere (Content-Security-Policy), so page behaviour lives here.

// Enter in a one-line field of a form that saves moves to the next field
// instead of sending a half-finished form (issue 9); Ctrl+Enter (⌘+Enter)
// and the button save.  Forms that should send on Enter (sign-in, search)
// are GET forms or say data-enter-submits.  A field that handles Enter
// itself (a picker choosing an option) calls preventDefault first.
const ONE_LINE_TYPES = new Set(["text", "search", "email", "tel", "number", "date", "time", "datetime-local", "url", ""]);

const isFocusable = (el) =>
  !el.disabled &&
  el.type !== "hidden" &&
  el.tabIndex >= 0 &&
  !el.closest("[hidden]") &&
  el.getClientRects().length > 0 &&
  el.tagName !== "FIELDSET" &&
  el.tagName !== "OBJECT" &&
  el.tagName !== "OUTPUT";

const nextField = (form, current) => {
  const fields = Array.from(form.elements).filter(isFocusable);
  const index = fields.indexOf(current);
  for (let i = index + 1; i < fields.length; i += 1) {
    const candidate = fields[i];
    // One stop per radio group.
    if (current.type === "radio" && candidate.type === "radio" && candidate.name === current.name) continue;
    return candidate;
  }
  return null;
};

const handleEnter = (event) => {
  // Not while an IME converts (日本語入力), and not when a field or a
  // form-specific script (intake.js) already handled this Enter.
  if (event.key !== "Enter" || event.isComposing || event.keyCode === 229 || event.defaultPrevented) return;
  const form = event.target.form;
  if (!form || form.method.toLowerCase() !== "post" || form.hasAttribute("data-enter-submits")) return;
  const field = event.target;
  if (event.ctrlKey || event.metaKey) {
    event.preventDefault();
    form.requestSubmit();
    return;
  }
  if (field.tagName !== "INPUT" || !ONE_LINE_TYPES.has(field.type)) return;
  event.preventDefault();
  const next = nextField(form, field);
  if (next) next.focus();
};

document.addEventListener("keydown", handleEnter);

// The print date in the one format of core/dates.py: 2026年12月1日（火）9:05 / Tue 1 Dec 2026 09:05.
const printTime = (at) => {
  const minutes = String(at.getMinutes()).padStart(2, "0");
  if ((document.documentElement.lang || "ja").startsWith("ja")) {
    const weekday = "日月火水木金土"[at.getDay()];
    return `${at.getFullYear()}年${at.getMonth() + 1}月${at.getDate()}日（${weekday}）${at.getHours()}:${minutes}`;
  }
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][at.getDay()];
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][at.getMonth()];
  return `${weekday} ${at.getDate()} ${month} ${at.getFullYear()} ${String(at.getHours()).padStart(2, "0")}:${minutes}`;
};

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

  // Printing a case or client page is recorded like viewing it (issue 9):
  // the page names its audit endpoint on the printed header.
  const printHeader = document.querySelector("[data-print-audit]");
  if (printHeader) {
    const token = printHeader.querySelector("input[name=csrfmiddlewaretoken]");
    const stamp = printHeader.querySelector("[data-print-time]");
    let sentAt = 0;
    window.addEventListener("beforeprint", () => {
      if (stamp) stamp.textContent = printTime(new Date());
      // One record per print dialog, not one per preview refresh.
      if (Date.now() - sentAt < 5000) return;
      sentAt = Date.now();
      const body = new FormData();
      if (token) body.append("csrfmiddlewaretoken", token.value);
      fetch(printHeader.dataset.printAudit, { method: "POST", body, credentials: "same-origin", keepalive: true });
    });
  }
});
