"""WTForms fields rendered as the NHS.UK frontend's components, through its Jinja macros.

Every form field on a page goes through ``nhsuk_field`` (a template global): it reads the field's
type from a small registry and builds the parameters the design system's macro takes (label, hint,
error message, value, items, character count), then renders that macro from
``nhsuk-frontend-jinja``. So the markup is the design system's own — the same as its published
fixtures, which the tests compare against — and no template hand-writes a form control.

``errorSummary`` gets the same treatment (``nhsuk_error_summary``): every error of a form in one
summary linking to each field, focused on load by the frontend's script, and the page's title
starting "Error:" (see ``frontend``).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app
from markupsafe import Markup
from wtforms import Field
from wtforms.validators import Length

Params = dict[str, Any]


def render_component(name: str, macro: str, params: Params) -> Markup:
    """Render one of the design system's macros, e.g. ``("radios", "radios", {...})``."""
    template = current_app.jinja_env.get_template(f"nhsuk/components/{name}/macro.jinja")
    rendered = getattr(template.module, macro)(params)
    if not isinstance(rendered, Markup):  # only an autoescaped template returns Markup
        raise TypeError(f"nhsuk/components/{name} rendered without autoescaping")
    return rendered


def _label(field: Field, label: str | None, size: str | None) -> Params:
    text = label if label is not None else field.label.text
    params: Params = {"text": text}
    if size:
        params.update(size=size, isPageHeading=False)
    return params


def _common(field: Field, hint: str | None) -> Params:
    params: Params = {"id": field.id, "name": field.name}
    if hint:
        params["hint"] = {"text": hint}
    if field.errors:
        params["errorMessage"] = {"text": " ".join(str(e) for e in field.errors)}
    return params


def _max_length(field: Field) -> int | None:
    for validator in field.validators:
        if isinstance(validator, Length) and validator.max and validator.max > 0:
            return int(validator.max)
    return None


def input_params(
    field: Field,
    hint: str | None = None,
    *,
    label: str | None = None,
    type: str | None = None,
    autocomplete: str | None = None,
    width: int | None = None,
    inputmode: str | None = None,
    suffix: str | None = None,
) -> Params:
    """A text input; the type follows the field (email, password, number as text)."""
    params = _common(field, hint)
    kind = type or getattr(field.widget, "input_type", "text")
    if kind == "number":
        kind, inputmode = "text", inputmode or "decimal"
    # Off unless asked: answers are an organisation's figures, not the person's own details to
    # autofill ("" leaves the browser's default).
    params["label"] = _label(field, label, None)
    if autocomplete != "":
        params["autocomplete"] = autocomplete or "off"
    if kind != "text":
        params["type"] = kind
    value = field._value() if kind != "password" else ""
    if value:
        params["value"] = value
    if width:
        params["width"] = width
    if inputmode:
        params["inputmode"] = inputmode
    if suffix:
        params["suffix"] = {"text": suffix}
    return params


def textarea_params(
    field: Field, hint: str | None = None, *, label: str | None = None, rows: int | None = None
) -> Params:
    """A textarea; with a character count when the field has a maximum length."""
    params = _common(field, hint)
    params.update(label=_label(field, label, None))
    if rows and rows != 5:  # the component's own default
        params["rows"] = rows
    if field._value():
        params["value"] = field._value()
    limit = _max_length(field)
    if limit:
        params["maxlength"] = limit
    return params


def _choices(field: Field) -> Iterable[tuple[str, str, bool]]:
    for value, text, checked, _render_kw in field.iter_choices():
        yield str(value), str(text), bool(checked)


def select_params(field: Field, hint: str | None = None, *, label: str | None = None) -> Params:
    """A select built from the field's choices, the chosen one selected."""
    params = _common(field, hint)
    params.update(
        label=_label(field, label, None),
        items=[{"value": v, "text": t, "selected": c} for v, t, c in _choices(field)],
    )
    return params


def _fieldset(field: Field, legend: str | None, size: str | None) -> Params:
    text = legend if legend is not None else field.label.text
    legend_params: Params = {"text": text}
    if size:
        legend_params["size"] = size
    return {"legend": legend_params}


def radios_params(
    field: Field,
    hint: str | None = None,
    *,
    legend: str | None = None,
    size: str | None = "s",
    inline: bool = False,
    item_hints: dict[str, str] | None = None,
) -> Params:
    """Radios from the field's choices, with an optional hint under each item."""
    params = _common(field, hint)
    params.pop("id")
    params["idPrefix"] = field.id
    items = []
    for value, text, checked in _choices(field):
        item: Params = {"value": value, "text": text, "checked": checked}
        if item_hints and value in item_hints:
            item["hint"] = {"text": item_hints[value]}
        items.append(item)
    params.update(fieldset=_fieldset(field, legend, size), items=items)
    if inline:
        params["classes"] = "nhsuk-radios--inline"
    return params


def checkboxes_params(
    field: Field, hint: str | None = None, *, legend: str | None = None, size: str | None = "s"
) -> Params:
    """Checkboxes from the field's choices (a multiple-choice field)."""
    params = _common(field, hint)
    params.pop("id")
    params["idPrefix"] = field.id
    params.update(
        fieldset=_fieldset(field, legend, size),
        items=[{"value": v, "text": t, "checked": c} for v, t, c in _choices(field)],
    )
    return params


def date_params(
    field: Field, hint: str | None = None, *, legend: str | None = None, size: str | None = "s"
) -> Params:
    """Three fields (day, month, year) named ``<field>-day`` and so on, as typed."""
    params = _common(field, hint)
    parts = getattr(field, "parts", None) or {}
    wrong = getattr(field, "wrong_parts", ()) or ()
    items = []
    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        item: Params = {"name": f"{field.name}-{part}", "label": part.capitalize()}
        item.update(width=width, value=parts.get(part, ""), id=f"{field.id}-{part}")
        if field.errors and (not wrong or part in wrong):
            item["classes"] = "nhsuk-input--error"
        items.append(item)
    params.update(fieldset=_fieldset(field, legend, size), items=items)
    return params


def file_params(
    field: Field,
    hint: str | None = None,
    *,
    label: str | None = None,
    accept: str | None = None,
) -> Params:
    """A file upload: label, hint and error message from the field; ``accept`` on the input;
    several files when the field takes several."""
    params = _common(field, hint)
    params["label"] = _label(field, label, None)
    if accept:
        params["attributes"] = {"accept": accept}
    if field.type == "MultipleFileField":
        params["multiple"] = True
    return params


#: Field type name -> (component folder, macro, parameter builder).
REGISTRY: dict[str, tuple[str, str, Callable[..., Params]]] = {
    "StringField": ("input", "input", input_params),
    "EmailField": ("input", "input", input_params),
    "PasswordField": ("input", "input", input_params),
    "IntegerField": ("input", "input", input_params),
    "DecimalField": ("input", "input", input_params),
    "FloatField": ("input", "input", input_params),
    "TextAreaField": ("textarea", "textarea", textarea_params),
    "SelectField": ("select", "select", select_params),
    "RadioField": ("radios", "radios", radios_params),
    "CheckboxesField": ("checkboxes", "checkboxes", checkboxes_params),
    "SelectMultipleField": ("checkboxes", "checkboxes", checkboxes_params),
    "DateInputField": ("date-input", "dateInput", date_params),
    "FileField": ("file-upload", "fileUpload", file_params),
    "MultipleFileField": ("file-upload", "fileUpload", file_params),
}


@functools.cache
def _accepted(build: Callable[..., Params]) -> frozenset[str]:
    """The keyword options a parameter builder takes."""
    return frozenset(
        name
        for name, parameter in inspect.signature(build).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    )


def params_for(field: Field, hint: str | None = None, **options: Any) -> tuple[str, str, Params]:
    """The component and parameters for a field, found by its type (or a parent type).

    Options the field's component does not take (a width for radios, rows for a select) are
    dropped here, so one template macro can pass every option it has (None where unset)
    without knowing which component each field becomes; the registry stays the only list.
    """
    for cls in type(field).__mro__:
        if cls.__name__ in REGISTRY:
            folder, macro, build = REGISTRY[cls.__name__]
            accepted = _accepted(build)
            given = {k: v for k, v in options.items() if k in accepted}
            return folder, macro, build(field, hint, **given)
    raise LookupError(f"No NHS.UK component for {type(field).__name__}")


def nhsuk_field(field: Field, hint: str | None = None, **options: Any) -> Markup:
    """Render a form field as its design-system component (a template global)."""
    folder, macro, params = params_for(field, hint, **options)
    if folder == "textarea" and "maxlength" in params:
        folder, macro = "character-count", "characterCount"
    elif folder == "textarea":
        params.pop("maxlength", None)
    return render_component(folder, macro, params)


def error_items(fields: Iterable[Field], extra: Iterable[str] = ()) -> list[Params]:
    """One link per error, to the field (its first part for a date, its first item for radios)."""
    items: list[Params] = []
    for field in fields:
        for error in field.errors or ():
            anchor = field.id
            if type(field).__name__ == "DateInputField":
                wrong = getattr(field, "wrong_parts", ()) or ("day",)
                anchor = f"{field.id}-{wrong[0]}"
            items.append({"text": str(error), "href": f"#{anchor}"})
    items.extend({"text": text} for text in extra)
    return items


def nhsuk_error_summary(
    form: Iterable[Field], extra: str | None = None, title: str = "There is a problem"
) -> Markup:
    """The error summary for a form, or nothing when it has no errors."""
    items = error_items(form, [extra] if extra else [])
    if not items:
        return Markup("")
    return render_component("error-summary", "errorSummary", {"heading": title, "errorList": items})
