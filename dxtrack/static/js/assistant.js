// The assistant's panel: after an answer arrives, clear the question box and show the answer.
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
