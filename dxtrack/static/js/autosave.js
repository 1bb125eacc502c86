// Autosave of the report form (htmx). Each row posts itself on change and is re-rendered with
// its findings. Three things htmx does not do on its own:
// - a 400 (bad input) or 409 (conflict) answer is a row to show, not an error to drop;
// - a save that never reached the server must not look saved;
// - what the user typed into the row while its save was on the way survives the re-render, and
//   is then saved in turn (re-rendering replaces the inputs; htmx keeps focus, not values).
(function () {
  "use strict";
  const ROW = "[data-autosave]";
  const FIELDS = "input[id]:not([type=hidden]):not([type=file]), textarea[id], select[id]";
  const sent = new WeakMap();
  let carried = null;

  function values(row) {
    const out = {};
    row.querySelectorAll(FIELDS).forEach((el) => { out[el.id] = el.value; });
    return out;
  }

  document.addEventListener("htmx:beforeRequest", (e) => {
    const row = e.detail.elt.closest(ROW);
    if (row) sent.set(row, values(row));
  });

  document.addEventListener("htmx:beforeSwap", (e) => {
    const row = e.detail.target.closest(ROW);
    if (!row) return;
    if ([400, 409].includes(e.detail.xhr.status)) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
    const before = sent.get(row) || {};
    const now = values(row);
    const typed = Object.entries(now).filter(([id, value]) => id in before && value !== before[id]);
    carried = typed.length ? typed : null;
  });

  document.addEventListener("htmx:afterSettle", () => {
    if (!carried) return;
    let first = null;
    for (const [id, value] of carried) {
      const el = document.getElementById(id);
      if (el) { el.value = value; first = first || el; }
    }
    carried = null;
    if (first) first.dispatchEvent(new Event("change", { bubbles: true }));
  });

  for (const name of ["htmx:sendError", "htmx:responseError"]) {
    document.addEventListener(name, (e) => {
      const row = e.detail.target && e.detail.target.closest(ROW);
      const status = row && row.querySelector(".save-status");
      if (status && ![400, 409].includes(e.detail.xhr && e.detail.xhr.status)) {
        status.textContent = (document.getElementById("autosave-texts") || {dataset: {}}).dataset.unsaved || "";
        status.classList.add("error");
      }
    });
  }
})();
