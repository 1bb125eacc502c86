/* The approval queue's "tick every report on this page" box (no inline script: CSP).
   A checkbox with data-check-all="NAME" ticks or clears every checkbox named NAME in its form. */
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var all = e.target.closest("input[data-check-all]");
    if (!all || !all.form) return;
    var boxes = all.form.querySelectorAll('input[type=checkbox][name="' + all.dataset.checkAll + '"]');
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
})();
