"""A date typed as day, month and year (the NHS.UK date input), never a browser date picker.

Browser pickers show the date in the browser's own locale order (mm/dd/yyyy for many) whatever
the hint says, and cannot be typed into the same way everywhere. The design system asks for three
text boxes. ``DateInputField`` reads ``<name>-day``, ``<name>-month`` and ``<name>-year``, keeps
what was typed to show again, and says what is wrong in the design system's words: "Enter the
closing date", "Closing date must include a year", "Closing date must be a real date". A single
``<name>`` value in ISO form (2027-03-31) is read too, for clients that post one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from wtforms import Field
from wtforms.validators import StopValidation

PARTS = ("day", "month", "year")


def _parts_of(day: date) -> dict[str, str]:
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


class DateInputField(Field):
    """A required or optional date from three typed parts; ``data`` is a ``date`` or None."""

    #: A ``date`` once a form with this field has validated (required), else possibly None.
    data: Any

    def __init__(
        self,
        label: str | None = None,
        validators: Any = None,
        *,
        required: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.parts: dict[str, str] = {}
        self.wrong_parts: tuple[str, ...] = ()
        self._problem: str | None = None

    def process_data(self, value: Any) -> None:
        self.data = value if isinstance(value, date) else None
        if self.data is not None:
            self.parts = {
                "day": str(self.data.day),
                "month": str(self.data.month),
                "year": str(self.data.year),
            }

    def process_formdata(self, valuelist: list[Any]) -> None:
        # Only called with this field's own name; the parts arrive under their own names.
        if valuelist and valuelist[0]:
            self._from_iso(str(valuelist[0]).strip())

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        if formdata is not None and any(f"{self.name}-{p}" in formdata for p in PARTS):
            self.parts = {p: str(formdata.get(f"{self.name}-{p}", "")).strip() for p in PARTS}
            self._from_parts()

    def _name(self) -> str:
        return str(self.label.text).lower()

    def _from_iso(self, text: str) -> None:
        try:
            self.data = date.fromisoformat(text)
        except ValueError:
            self.data, self.parts = None, {"day": "", "month": "", "year": ""}
            self._problem, self.wrong_parts = f"{self.label.text} must be a real date", PARTS
            return
        self.parts = {
            "day": str(self.data.day),
            "month": str(self.data.month),
            "year": str(self.data.year),
        }

    def _from_parts(self) -> None:
        self.data = None
        missing = tuple(p for p in PARTS if not self.parts[p])
        if len(missing) == len(PARTS):
            return  # blank: the required check below names it
        if missing:
            self._problem = f"{self.label.text} must include a {' and a '.join(missing)}"
            self.wrong_parts = missing
            return
        try:
            day, month, year = (int(self.parts[p]) for p in PARTS)
            if year < 1000:
                raise ValueError
            self.data = date(year, month, day)
        except ValueError:
            self._problem, self.wrong_parts = f"{self.label.text} must be a real date", PARTS

    def pre_validate(self, form: Any) -> None:
        if self._problem:
            raise StopValidation(self._problem)
        if self.data is None and self.required:
            raise StopValidation(f"Enter the {self._name()}")
        if self.data is None:
            raise StopValidation()  # optional and blank: no other check applies
