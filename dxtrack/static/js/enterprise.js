/* The enterprise questionnaire (ADR 0040): each pillar's form posts itself on change (htmx) and
   the page's results part is swapped in. A 400 answer (a level out of range) carries the message
   in that part: it is shown, not dropped as an error. */
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (e) {
    var form = e.detail.requestConfig && e.detail.requestConfig.elt;
    if (form && form.hasAttribute && form.hasAttribute("data-enterprise-answers") && e.detail.xhr.status === 400) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
})();
