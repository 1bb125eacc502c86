/* The plan import review: clicking an item shows its source line highlighted beside it. */
(function () {
  "use strict";
  // Clicking an item shows its source line highlighted beside it.
  document.addEventListener("click", (e) => {
    const link = e.target.closest("a[data-line]");
    if (!link) return;
    e.preventDefault();
    document.querySelectorAll(".source-lines li.focus, .source-lines li.in-clause")
      .forEach((li) => li.classList.remove("focus", "in-clause"));
    const start = Number(link.dataset.start), end = Number(link.dataset.end);
    for (let n = start; n && n <= end && n - start < 400; n++) {
      document.getElementById("dong-" + n)?.classList.add("in-clause");
    }
    const li = document.getElementById("dong-" + link.dataset.line);
    if (li) { li.classList.add("focus"); li.scrollIntoView({block: "center"}); }
  });
})();
