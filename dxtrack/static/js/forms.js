/* The browser's own form messages and file inputs, in Vietnamese.

   A field the browser checks itself (required, type=email/url, min/max, pattern…) would show the
   browser's message in the browser's language ("Please fill out this field."). Each such field
   carries a Vietnamese message instead, kept up to date as the user types; the server still
   checks everything and answers with its own messages.
   A file input shows the chosen file's name in our own label (core/widgets/file_pick.html). */
(function () {
  "use strict";

  function message(el) {
    var v = el.validity;
    if (v.valueMissing) {
      if (el.type === "file") return "Hãy chọn một tệp.";
      if (el.tagName === "SELECT" || el.type === "checkbox" || el.type === "radio") return "Hãy chọn một mục.";
      return "Hãy điền vào ô này.";
    }
    if (v.typeMismatch) {
      if (el.type === "email") return "Hãy nhập một địa chỉ thư điện tử, ví dụ ten@thanhhoa.gov.vn.";
      if (el.type === "url") return "Hãy nhập một địa chỉ web, bắt đầu bằng http:// hoặc https://.";
      return "Giá trị không đúng dạng.";
    }
    if (v.badInput) return "Hãy nhập một số.";
    if (v.patternMismatch) return el.title ? "Hãy nhập đúng dạng: " + el.title : "Giá trị không đúng dạng.";
    if (v.tooLong) return "Dài quá " + el.maxLength + " ký tự.";
    if (v.tooShort) return "Cần ít nhất " + el.minLength + " ký tự.";
    if (v.rangeUnderflow) return "Giá trị phải từ " + el.min + " trở lên.";
    if (v.rangeOverflow) return "Giá trị không được quá " + el.max + ".";
    if (v.stepMismatch) return "Giá trị không hợp lệ ở đây.";
    return "Giá trị không hợp lệ.";
  }

  function check(el) {
    if (!el || !el.setCustomValidity || !el.willValidate) return;
    el.setCustomValidity("");
    if (!el.validity.valid) el.setCustomValidity(message(el));
  }

  function showFileName(input) {
    var label = input.closest(".file-pick");
    var name = label && label.querySelector("[data-file-name]");
    if (!name) return;
    var files = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    name.textContent = files.length ? files.join(", ") : name.getAttribute("data-empty");
  }

  function checkAll(root) {
    (root || document).querySelectorAll("input, select, textarea").forEach(check);
  }

  function onChange(event) {
    check(event.target);
    if (event.target.matches && event.target.matches("input[data-file-pick]")) showFileName(event.target);
  }

  document.addEventListener("input", onChange, true);
  document.addEventListener("change", onChange, true);
  document.addEventListener("DOMContentLoaded", function () { checkAll(document); });
  // Rows htmx swaps in (the report form's autosave) bring fields of their own.
  document.addEventListener("htmx:load", function (event) { checkAll(event.target); });
  if (document.readyState !== "loading") checkAll(document);
})();
