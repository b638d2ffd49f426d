// Intake screen: a topic with a follow-up template (kept by administrators)
// pre-fills the follow-up fields — what to do, and the due date already
// counted in business days by the server.  Only empty fields, or fields this
// script filled and nobody changed since, are written; unchecking the topic
// takes the proposal back.  No inline script (CSP): the proposals come as a
// JSON data block.
(() => {
  "use strict";

  function init() {
    const data = document.getElementById("follow-up-proposals");
    const due = document.getElementById("id_follow_up_due");
    const note = document.getElementById("id_follow_up_note");
    const status = document.querySelector("[data-follow-up-proposal]");
    if (!data || !due || !note) return;
    const proposals = JSON.parse(data.textContent || "{}");
    let filled = null; // {due, note} as this script last wrote them

    function untouched() {
      if (filled === null) return due.value === "" && note.value === "";
      return due.value === filled.due && note.value === filled.note;
    }

    function chosen() {
      // A sub-topic's template wins over its parent's; the first in the list otherwise.
      const boxes = Array.from(document.querySelectorAll('input[name="topics"]:checked'));
      const withProposal = boxes.filter((box) => proposals[box.value]);
      const child = withProposal.find((box) => box.closest(".topic-tree__children"));
      return (child || withProposal[0] || null);
    }

    function update() {
      if (!untouched()) return;
      const box = chosen();
      if (box === null) {
        if (filled !== null) {
          due.value = "";
          note.value = "";
          filled = null;
        }
        if (status) status.textContent = "";
        return;
      }
      const proposal = proposals[box.value];
      due.value = proposal.due;
      note.value = proposal.note;
      filled = { due: proposal.due, note: proposal.note };
      if (status) {
        status.textContent = status.dataset.template
          .replace("{topic}", proposal.topic)
          .replace("{days}", String(proposal.days))
          .replace("{due}", proposal.due);
      }
    }

    document.addEventListener("change", (event) => {
      if (event.target instanceof HTMLInputElement && event.target.name === "topics") update();
    });
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
