"""Date widgets for the browser's own pickers, in the one format those accept whatever the language.

`<input type="date">` and `<input type="datetime-local">` accept only ISO values (`2025-01-01`,
`2025-01-01T10:00`) and show an empty field for anything else. Django renders a date with the
active language's first input format (`2025/01/01 10:00` in Chinese), so an edit page would blank
every date it shows. These widgets always render ISO; the form field has already converted an
aware datetime to the current time zone (the platform's, Asia/Shanghai). Every date field of the
pages uses them.
"""

from __future__ import annotations

from django import forms


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class IsoDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
