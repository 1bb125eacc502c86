// Working the long report form: the sticky bar's save state, the jump list, the print button.
// The bar listens to the rows' autosave (htmx events, see autosave.js); its texts come from the
// bar's data attributes, so they are translated by the template.
(function () {
  "use strict";
  const ROW = "[data-autosave]";
  let pending = 0;
  let refused = new Set();

  function bar() { return document.getElementById("thanh-luu"); }
  function say(key, time) {
    const el = bar();
    const state = el && el.querySelector(".savebar-state");
    if (!state) return;
    let text = el.dataset[key] || "";
    if (time) text = (el.dataset.savedAt || text).replace("{t}", time);
    state.textContent = text;
    el.classList.toggle("error", key === "refused" || key === "failed");
  }

  function rowOf(e) {
    const elt = e.detail && (e.detail.target || e.detail.elt);
    return elt && elt.closest ? elt.closest(ROW) : null;
  }

  document.addEventListener("input", (e) => {
    if (e.target.closest && e.target.closest(ROW)) say("dirty");
  });
  document.addEventListener("htmx:beforeRequest", (e) => {
    if (!rowOf(e)) return;
    pending += 1;
    say("saving");
  });
  document.addEventListener("htmx:afterRequest", (e) => {
    const row = rowOf(e);
    if (!row) return;
    pending = Math.max(0, pending - 1);
    const status = e.detail.xhr ? e.detail.xhr.status : 0;
    if (status === 200) refused.delete(row.id);
    else if (status === 400 || status === 409) refused.add(row.id);
    if (pending) return;
    if (!e.detail.xhr || status === 0 || status >= 500) { say("failed"); return; }
    if (refused.size) { say("refused"); return; }
    // The time the server stamped on the row it answered with ("Đã lưu lúc 10:20").
    const swapped = document.getElementById(row.id);
    const stamp = swapped && swapped.querySelector(".save-status [data-saved-at]");
    say("saved", stamp ? stamp.dataset.savedAt : "");
  });
  document.addEventListener("htmx:sendError", () => { pending = 0; say("failed"); });

  // A jump to a row puts the cursor in its first field, so the user can correct it at once.
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest("a[data-jump]");
    if (!link) return;
    const row = document.getElementById(link.dataset.jump);
    if (!row) return;
    e.preventDefault();
    history.replaceState(null, "", "#" + row.id);
    row.scrollIntoView({ block: "center" });
    const field = row.querySelector("input[aria-invalid=true], input:not([type=hidden]), select, textarea");
    if (field) field.focus({ preventScroll: true });
    row.classList.add("jumped");
    setTimeout(() => row.classList.remove("jumped"), 2000);
  });

  document.addEventListener("click", (e) => {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });
})();
