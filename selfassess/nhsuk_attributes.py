"""The design system's attribute helper (``nhsuk/macros/attributes.jinja``'s
``nhsukAttributes``) in Python, for the components written in Python (``nhsuk_tables``,
``nhsuk_tags``): the same attribute HTML as the macro, escaped the same way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import escape


def _attribute_value(value: Any) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return ""
    return str(escape(value))


def attributes_html(attributes: Any) -> str:
    """``nhsukAttributes``: a mapping of attributes (or an attribute string) as HTML."""
    if not attributes:
        return ""
    if isinstance(attributes, str):
        return str(attributes)
    out = []
    for name, item in attributes.items():
        if isinstance(item, Mapping):
            value, optional = item.get("value"), item.get("optional") is True
        else:
            value, optional = item, False
        if optional and value is True:
            out.append(f" {escape(name)}")
        elif not optional or (value is not None and value is not False):
            out.append(f' {escape(name)}="{_attribute_value(value)}"')
    return "".join(out)


def optional_attributes(**values: Any) -> str:
    """Optional attributes (``nhsukAttributes`` with ``optional: true``); ``aria_x`` is aria-x:
    left out when None or False, the bare name when True."""
    out = ""
    for name, value in values.items():
        if value is None or value is False:
            continue
        name = name.replace("_", "-")
        out += f" {name}" if value is True else f' {name}="{_attribute_value(value)}"'
    return out


def is_mapping(value: Any) -> bool:
    return type(value) is dict or isinstance(value, Mapping)
