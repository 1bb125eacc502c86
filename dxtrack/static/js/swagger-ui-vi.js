/* Swagger UI has no translations: its own labels are replaced by Vietnamese ones as it renders
   them (exact text of a text node or a button/placeholder), so the API docs read in Vietnamese.
   The endpoints' and fields' descriptions come in Vietnamese from the OpenAPI document itself. */
(function () {
  "use strict";
  var VI = {
    "Try it out": "Thử gọi",
    "Cancel": "Hủy",
    "Execute": "Gửi yêu cầu",
    "Clear": "Xóa",
    "Parameters": "Tham số",
    "No parameters": "Không có tham số",
    "Name": "Tên",
    "Description": "Mô tả",
    "Request body": "Nội dung gửi lên",
    "required": "bắt buộc",
    "Responses": "Các phản hồi",
    "Response content type": "Kiểu nội dung phản hồi",
    "Code": "Mã",
    "Details": "Chi tiết",
    "Links": "Liên kết",
    "No links": "Không có liên kết",
    "Response body": "Nội dung phản hồi",
    "Response headers": "Tiêu đề phản hồi",
    "Request URL": "Địa chỉ yêu cầu",
    "Server response": "Phản hồi của máy chủ",
    "Media type": "Kiểu nội dung",
    "Controls Accept header.": "Đặt tiêu đề Accept.",
    "Example Value": "Giá trị mẫu",
    "Example": "Ví dụ",
    "Schema": "Lược đồ",
    "Schemas": "Các lược đồ",
    "Authorize": "Xác thực",
    "Available authorizations": "Các cách xác thực",
    "Authorized": "Đã xác thực",
    "Logout": "Đăng xuất",
    "Close": "Đóng",
    "Value:": "Giá trị:",
    "Download": "Tải xuống",
    "Undocumented": "Chưa mô tả",
    "Successful Response": "Thành công",
    "Loading...": "Đang tải…",
    "Failed to load API definition.": "Không tải được đặc tả API.",
    "Expand all": "Mở tất cả",
    "Collapse all": "Thu gọn tất cả",
    "Edit Value": "Sửa giá trị",
    "Send empty value": "Gửi giá trị trống",
    "Add string item": "Thêm phần tử",
    "Add integer item": "Thêm phần tử",
    "Add item": "Thêm phần tử",
    "Choose File": "Chọn tệp",
    "Filter by tag": "Lọc theo nhóm",
    "Copy to clipboard": "Chép",
    "Responses ": "Các phản hồi",
    "Default value": "Giá trị mặc định",
    "Available values": "Các giá trị được nhận",
    "Enum:": "Một trong:",
    "No response body": "Không có nội dung phản hồi",
    "Unrecognized response type; displaying content as text.": "Kiểu phản hồi lạ; hiển thị dạng văn bản.",
    "Network error": "Lỗi mạng",
    "Validation errors": "Lỗi kiểm tra dữ liệu",
    "Please correct the following validation errors and try again.": "Hãy sửa các lỗi sau rồi thử lại.",
    "Required field is not provided": "Chưa nhập trường bắt buộc",
    "Value must be an integer": "Phải là số nguyên",
    "Value must be a number": "Phải là một số",
    "Value must be a boolean": "Phải là true hoặc false",
    "Value must be a string": "Phải là văn bản",
    "Parameter string value must be valid JSON": "Giá trị phải là JSON hợp lệ",
    "Api key authorization": "Xác thực bằng mã",
    "Example Value ": "Giá trị mẫu",
    "No file chosen": "Chưa chọn tệp",
    "Headers:": "Tiêu đề:",
    "Username:": "Tên đăng nhập:",
    "Password:": "Mật khẩu:",
    "Scopes:": "Phạm vi:",
    "Flow:": "Luồng:",
    "Deprecated": "Không còn dùng",
    "deprecated": "không còn dùng"
  };
  var ATTRS = ["placeholder", "title", "aria-label", "value"];

  function translate(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      var text = node.nodeValue.trim();
      if (text && Object.prototype.hasOwnProperty.call(VI, text)) {
        node.nodeValue = node.nodeValue.replace(text, VI[text]);
      }
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    ATTRS.forEach(function (name) {
      var value = node.getAttribute(name);
      if (value && Object.prototype.hasOwnProperty.call(VI, value.trim()) && !(name === "value" && node.tagName !== "BUTTON" && node.type !== "button" && node.type !== "submit")) {
        node.setAttribute(name, VI[value.trim()]);
      }
    });
    for (var child = node.firstChild; child; child = child.nextSibling) translate(child);
  }

  var observer = new MutationObserver(function (mutations) {
    mutations.forEach(function (m) {
      if (m.type === "characterData") translate(m.target);
      else if (m.type === "attributes") translate(m.target);
      else m.addedNodes.forEach(translate);
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("swagger-ui");
    translate(root);
    observer.observe(root, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ATTRS });
  });
})();
