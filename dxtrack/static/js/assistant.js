// The assistant's panel: a 429 (too many questions) carries its answer for the panel: show it.
document.addEventListener("htmx:beforeSwap", function (event) {
  var form = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!form || !form.classList || !form.classList.contains("assistant-form")) return;
  if (event.detail.xhr.status === 429) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// After an answer arrives, clear the question box and show the answer.
// (A static file: the CSP forbids inline scripts.)
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target;
  if (!form.classList || !form.classList.contains("assistant-form")) return;
  var input = form.querySelector("input[name=q]");
  if (event.detail.successful && input) input.value = "";
  var log = document.getElementById("assistant-log");
  if (log) log.scrollTop = log.scrollHeight;
  if (input) input.focus();
});
