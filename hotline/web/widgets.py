"""Form widgets shared by every app's forms."""

from __future__ import annotations

from django import forms


class DateBox(forms.DateInput):
    """A browser date box (``<input type="date">``) whose value is always ISO, ``2027-06-09``.

    A plain ``DateInput`` renders its value in the active language's format, in zh-Hans
    ``2027/06/09``, which a date box cannot show: it comes up empty, and saving the form as
    rendered drops the date (a knowledge article's review date was lost on every Chinese edit;
    walk-through, session 24)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
