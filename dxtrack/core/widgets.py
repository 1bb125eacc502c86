from django import forms


class FilePicker(forms.FileInput):
    """A file input the user sees in Vietnamese: the native control is hidden inside our label,
    which shows a "Chọn tệp" button and the chosen file's name (static/js/forms.js). Every file
    field of the project uses it (dxtrack/core/tests/test_vietnamese.py checks the pages)."""

    template_name = "core/widgets/file_pick.html"
