/* Small page behaviours without inline script (the Content-Security-Policy allows none):
   - a submit button with data-shows="ID" shows the element ID (a "working…" status) as its form goes;
   - a submit button with data-confirm="TEXT" asks TEXT first and stops the form if refused. */
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-confirm], input[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      e.preventDefault();
      return;
    }
    var shows = e.target.closest("[data-shows]");
    if (shows) {
      var status = document.getElementById(shows.dataset.shows);
      if (status) status.hidden = false;
    }
  });
})();
