// Madoguchi intake screen (相談受付): keyboard-first behaviour.
//
// * type-to-filter boxes for the language list and the topic tree (they
//   match the autonym, the Japanese and English names, the code, and the
//   kana reading and romaji of Japanese names: "べとなむ", "viet", "zairyu");
// * Enter in a filter box picks instead of submitting the form;
// * the client part: ↓ in the search box picks the first result, the
//   new-client fields show only when "register a new client" is chosen,
//   "This person" buttons pick a likely match;
// * Ctrl+Enter (⌘+Enter) saves from anywhere, also from a text area;
// * after a failed save, focus goes to the error summary.
// No inline script anywhere (Content-Security-Policy); the form works
// without this file, only less conveniently.
(() => {
  "use strict";

  const LATIN = /[\u00c0-\u024f\u1e00-\u1eff]/;

  // The same folding as consult/names.py normalise(): width, case, Latin
  // diacritics, katakana → hiragana, separators → one space.
  function normalise(text) {
    let out = "";
    for (const char of (text || "").normalize("NFKC")) {
      out += LATIN.test(char) ? char.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : char;
    }
    out = out.toLowerCase().replace(/đ/g, "d");
    out = out.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
    out = out.replace(/ゔ/g, "ぶ");
    return out.replace(/[\s\u30fb\uff65,，、.．\-‐－_/()（）[\]「」'’"]+/g, " ").trim();
  }

  // data-search holds the normalised variants of a label joined by "|"
  // (consult/forms.py _search_text).
  function matches(searchText, query) {
    if (!query) return true;
    return query.split(" ").every((token) => searchText.includes(token));
  }

  function startsWith(searchText, query) {
    const compact = query.replace(/ /g, "");
    return `|${searchText}`.includes(`|${query}`) || `|${searchText}`.includes(`|${compact}`);
  }

  function composing(event) {
    // Enter that confirms an IME conversion (日本語入力) is not a command.
    return event.isComposing || event.keyCode === 229;
  }

  function focusables(root) {
    return Array.from(
      root.querySelectorAll("input:not([type=hidden]), select, textarea, button, a[href]"),
    ).filter((el) => !el.disabled && el.offsetParent !== null && el.tabIndex >= 0);
  }

  function focusNextAfter(element) {
    const form = element.form || element.closest("form");
    const all = focusables(form);
    const index = all.indexOf(element);
    for (const candidate of all.slice(index + 1)) {
      if (candidate.type === "radio" && !candidate.checked && form.querySelector(`input[type=radio][name="${candidate.name}"]:checked`)) {
        continue; // a radio group is one stop: its checked radio
      }
      candidate.focus();
      return;
    }
  }

  function messages(form) {
    return {
      count: form.dataset.msgCount || "%s",
      none: form.dataset.msgNone || "—",
      selected: form.dataset.msgSelected || "%s",
    };
  }

  // --- language: a filter box in front of the <select> -----------------------
  function setUpSelectFilter(input) {
    const select = document.getElementById(input.dataset.selectFilter);
    const status = document.getElementById(`${input.id}-status`);
    const msg = messages(input.form);
    if (!select) return;
    input.closest("[data-filter-box]").hidden = false;
    const apply = () => {
      const query = normalise(input.value);
      let first = null;
      let count = 0;
      for (const option of select.options) {
        if (!option.value) continue;
        const hit = matches(option.dataset.search || normalise(option.text), query);
        option.hidden = !hit;
        if (hit) {
          count += 1;
          first = first || option;
        }
      }
      if (query) {
        const current = select.selectedOptions[0];
        if (!current || current.hidden || !current.value) {
          const before = select.value;
          select.value = first ? first.value : "";
          // Others listen to the select (the likely-match search on nationality).
          if (select.value !== before) select.dispatchEvent(new Event("change", { bubbles: true }));
        }
        status.textContent = count ? msg.count.replace("%s", count) : msg.none;
      } else {
        status.textContent = "";
      }
    };
    input.addEventListener("input", apply);
    input.addEventListener("keydown", (event) => {
      if (composing(event)) return;
      if (event.key === "Enter") {
        event.preventDefault();
        if (select.value) focusNextAfter(select);
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      }
    });
  }

  // --- topics: a filter box over the checkbox tree --------------------------------
  function setUpTopicFilter(input) {
    const list = document.getElementById(input.dataset.topicFilter);
    const status = document.getElementById(`${input.id}-status`);
    const fieldset = input.closest("fieldset");
    const summary = fieldset.querySelector("[data-topic-summary]");
    const msg = messages(input.form);
    if (!list) return;
    input.closest("[data-filter-box]").hidden = false;
    const groups = Array.from(list.querySelectorAll(":scope > li[data-topic]"));
    const own = (item) => item.querySelector(":scope > input, :scope > div > input");

    const apply = () => {
      const query = normalise(input.value);
      let count = 0;
      for (const group of groups) {
        const children = Array.from(group.querySelectorAll("li[data-topic]"));
        const groupHit = matches(group.dataset.search, query);
        let childHit = false;
        for (const child of children) {
          const hit = groupHit || matches(child.dataset.search, query) || own(child).checked;
          child.hidden = !hit;
          if (hit && query && !groupHit) childHit = true;
          if (hit && query) count += 1;
        }
        group.hidden = !(groupHit || childHit || own(group).checked);
        if (groupHit && query) count += 1;
      }
      status.textContent = query ? (count ? msg.count.replace("%s", count) : msg.none) : "";
    };

    // The topic Enter ticks: the first whose name starts with what was
    // typed (ねんきん → 年金・脱退一時金), else the first that contains it.
    const firstOwnMatch = () => {
      const query = normalise(input.value);
      if (!query) return null;
      const items = Array.from(list.querySelectorAll("[data-topic]")).filter(
        (item) => !item.closest("[hidden]") && matches(item.dataset.search, query),
      );
      const best = items.find((item) => startsWith(item.dataset.search, query)) || items[0];
      return best ? own(best) : null;
    };

    const updateSummary = () => {
      const checked = Array.from(list.querySelectorAll("input[type=checkbox]:checked"));
      const labels = checked.map((box) => {
        const label = fieldset.querySelector(`label[for="${box.id}"]`);
        return label ? label.firstChild.textContent.trim() : box.value;
      });
      summary.textContent = labels.length ? msg.selected.replace("%s", labels.join("、")) : "";
    };

    // The list is one Tab stop (roving tabindex): ↑↓ (←→, Home, End) move
    // between the visible topics, Space ticks.  Otherwise reaching the
    // client part would take a Tab per topic.
    const visibleBoxes = () =>
      Array.from(list.querySelectorAll("input[type=checkbox]")).filter((box) => !box.closest("[hidden]"));
    const rove = (target) => {
      for (const box of list.querySelectorAll("input[type=checkbox]")) box.tabIndex = box === target ? 0 : -1;
    };
    const reRove = () => {
      const current = list.querySelector("input[type=checkbox][tabindex='0']");
      if (!current || current.closest("[hidden]")) rove(visibleBoxes()[0] || null);
    };
    list.addEventListener("focusin", (event) => {
      if (event.target.type === "checkbox") rove(event.target);
    });
    list.addEventListener("keydown", (event) => {
      const boxes = visibleBoxes();
      const index = boxes.indexOf(event.target);
      if (index < 0) return;
      let next = null;
      if (event.key === "ArrowDown" || event.key === "ArrowRight") next = boxes[index + 1];
      else if (event.key === "ArrowUp" || event.key === "ArrowLeft") next = index > 0 ? boxes[index - 1] : input;
      else if (event.key === "Home") next = boxes[0];
      else if (event.key === "End") next = boxes[boxes.length - 1];
      else if (event.key === "Enter") {
        // Enter on a topic ticks it rather than saving the half-filled form.
        event.preventDefault();
        event.target.checked = !event.target.checked;
        // Others listen too (a topic's follow-up template, follow-up-proposal.js).
        event.target.dispatchEvent(new Event("change", { bubbles: true }));
        return;
      }
      if (next) {
        event.preventDefault();
        next.focus();
      }
    });

    input.addEventListener("input", () => {
      apply();
      reRove();
    });
    input.addEventListener("keydown", (event) => {
      if (composing(event)) return;
      if (event.key === "Enter") {
        // Enter ticks the first topic whose own name matches, then clears
        // the box for the next one; Tab moves on to the list.
        event.preventDefault();
        const box = firstOwnMatch();
        if (box) {
          box.checked = true;
          input.value = "";
          apply();
          reRove();
          box.dispatchEvent(new Event("change", { bubbles: true }));
        }
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        const first = visibleBoxes()[0];
        if (first) first.focus();
      }
    });
    list.addEventListener("change", updateSummary);
    rove(visibleBoxes()[0] || null);
    updateSummary();
  }

  // --- the client part ---------------------------------------------------------------
  function setUpClient(form) {
    const panel = form.querySelector("[data-new-client]");
    const search = form.querySelector("[data-client-search]");
    if (!panel) return;
    const update = () => {
      const checked = form.querySelector("input[name=client_choice]:checked");
      panel.hidden = !(checked && (checked.value === "new" || panel.contains(checked)));
    };
    form.addEventListener("change", (event) => {
      if (event.target.name === "client_choice") update();
    });
    form.addEventListener("click", (event) => {
      const button = event.target.closest("[data-pick-client]");
      if (!button) return;
      const radio = document.getElementById(button.dataset.pickClient);
      if (radio) {
        radio.checked = true;
        radio.focus();
        update();
      }
    });
    if (search) {
      search.addEventListener("keydown", (event) => {
        if (composing(event)) return;
        if (event.key === "Enter" || event.key === "ArrowDown") {
          // The search is live; Enter/↓ pick the first result instead of saving.
          event.preventDefault();
          const first = form.querySelector("#client-search-results input[name=client_choice]");
          if (first) {
            first.checked = true;
            first.focus();
            update();
          }
        }
      });
    }
    update();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("form.intake");
    if (!form) return;
    form.querySelectorAll("[data-select-filter]").forEach(setUpSelectFilter);
    form.querySelectorAll("[data-topic-filter]").forEach(setUpTopicFilter);
    setUpClient(form);

    form.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !composing(event)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });

    const summary = form.querySelector("[data-duplicate-warning]") || form.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    } else {
      // The first field: the language filter box when this script runs,
      // else the language list itself (autofocus).
      const first = form.querySelector("[data-select-filter]");
      if (first && !first.closest("[hidden]")) first.focus();
    }
  });
})();
