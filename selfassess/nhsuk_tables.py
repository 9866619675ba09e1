"""The design system's table, written in Python: the same HTML as ``nhsuk-frontend-jinja``'s
``nhsukTable`` macro, about twenty times faster.

The Jinja macro costs 0.1 to 0.2 ms of CPU per cell (each cell calls several macros and the
attribute helper twice); the dashboards' tables hold thousands of cells a page, which made the
coordinator's dashboard four times slower to render. This module follows the macro's template
(``nhsuk/components/tables/template.jinja`` with the heading and scroll macros it calls) branch
for branch, for the options it supports, and refuses the others (cards, panels, captions within
the caption, translated sort texts) rather than render them differently.
``tests/test_nhsuk_tables.py`` checks it against every published fixture of the component and
against the Jinja macro itself on the options our templates use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from .nhsuk_attributes import attributes_html, is_mapping
from .nhsuk_attributes import optional_attributes as _optional

Params = Mapping[str, Any]

#: Options of the macro this port does not render: it raises instead of differing.
UNSUPPORTED = (
    "card",
    "panel",
    "heading",
    "sortAnnouncementText",
    "ascendingText",
    "descendingText",
)
CAPTION_SIZES = ("s", "m", "l", "xl")
HEADING_SIZES_CHECKED = ("xxs", "xs", "s", "m", "l", "xl")


class UnsupportedTableOption(ValueError):
    """An option of the design system's table this port does not render."""


def _iterable(value: Any) -> bool:
    """Jinja's ``iterable`` test (which a string passes)."""
    try:
        iter(value)
    except TypeError:
        return False
    return True


def _value_html(text: Any, html: Any, hidden: Any) -> str:
    """``_tableValue``: the cell's HTML or escaped text, then any visually hidden words."""
    out = ""
    if html or text:
        if hidden:
            hidden = " " + str(hidden)
        out = str(html) if html else str(escape(text))
    if hidden:
        out += f'<span class="nhsuk-u-visually-hidden">{escape(hidden)}</span>'
    return out


def _is_cell(value: Any) -> bool:
    """What the macro renders as a cell: a string or a mapping (not a number, not None)."""
    return type(value) is dict or isinstance(value, str | Mapping)


def _cell(item: Mapping[str, Any], responsive: bool, header: Mapping[str, Any] | None) -> str:
    """``_tableCell``: one ``th`` or ``td``."""
    element = str(item.get("element") or "td").lower()
    base = "nhsuk-table__header" if element == "th" else "nhsuk-table__cell"
    names = base
    classes = item.get("classes") or ""
    form = item.get("format")
    if form == "numeric" and f"{base}--{form}" not in classes:
        names += f" {base}--{form}"
    align = item.get("align")
    if align in ("left", "centre", "right") and not any(
        f"nhsuk-u-text-align-{side}" in classes for side in ("left", "centre", "right")
    ):
        names += f" nhsuk-u-text-align-{align}"
    width = item.get("width")
    if width and f"nhsuk-u-width-{width}" not in classes:
        names += f" nhsuk-u-width-{width}"
    if classes:
        names += f" {classes}"
    opening = (
        f'<{element} class="{escape(names)}"'
        + _optional(
            scope=item.get("scope"),
            role=item.get("role"),
            colspan=item.get("colspan"),
            rowspan=item.get("rowspan"),
        )
        + attributes_html(item.get("attributes"))
        + ">"
    )
    inner = _value_html(item.get("text"), item.get("html"), item.get("visuallyHiddenText"))
    if item.get("href"):
        inner = f'<a class="nhsuk-link" href="{escape(item["href"])}">{inner.strip()}</a>'
    else:
        inner = inner.strip()
    if responsive and header is not None and (header or item.get("header")):
        text = header["text"] if "text" in header else item.get("header")
        heading = _value_html(text, header.get("html"), header.get("visuallyHiddenText")).strip()
        inner = f'<span class="nhsuk-table__heading" aria-hidden="true">{heading} </span>' + (
            f"<span>{inner}</span>" if item.get("html") else inner
        )
    return f"{opening}\n{inner}\n</{element}>"


#: The keys of a cell whose HTML depends only on them and on its column.
PLAIN_KEYS = frozenset({"text", "html", "classes"})
_PLAIN_TYPES = (str, Markup, type(None))


def _plain_key(index: int, data: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """What a plain cell's HTML depends on (its column and values, with their types: text
    that is Markup is not escaped again), or None for any other cell."""
    if type(data) is not dict or not data.keys() <= PLAIN_KEYS:
        return None
    text, html, classes = data.get("text"), data.get("html"), data.get("classes")
    if not all(type(v) in _PLAIN_TYPES for v in (text, html, classes)):
        return None
    return (index, type(text), text, type(html), html, classes)


def _as_mapping(item: Any) -> Mapping[str, Any]:
    """A head item or cell given as a string: text, or HTML when marked safe."""
    if is_mapping(item):
        return item
    if isinstance(item, Markup):
        return {"text": item, "html": item}
    return {"text": item if isinstance(item, str) else None}


def _caption(caption: Mapping[str, Any], caption_id: str | None, sortable: bool) -> str:
    """The caption through the heading macro's rules (element ``caption``)."""
    text, html = caption.get("text"), caption.get("html")
    if not (text or html):
        return ""
    names = "nhsuk-table__caption"
    prefix = "nhsuk-table__caption--"
    classes = caption.get("classes") or ""
    size = caption.get("size")
    if size in CAPTION_SIZES and not any(prefix + s in classes for s in HEADING_SIZES_CHECKED):
        names += f" {prefix}{size}"
    if classes:
        names += f" {classes}"
    if "visuallyHiddenText" in caption:  # given, even as None: the macro's default is skipped
        hidden = caption["visuallyHiddenText"]
    elif sortable:
        hidden = "Column headers are sortable"
    else:
        hidden = None
    inner = str(html) if html else str(escape(text))
    if hidden:
        inner += f'<span class="nhsuk-u-visually-hidden"> ({escape(hidden)})</span>'
    return (
        f'<caption class="{escape(names)}"{_optional(id=caption_id)}'
        f"{attributes_html(caption.get('attributes'))}>\n{inner}\n</caption>"
    )


def _caption_params(params: Params) -> dict[str, Any]:
    given = params.get("caption")
    if isinstance(given, Mapping):
        if given.get("caption"):
            raise UnsupportedTableOption("a caption within the table's caption")
        return dict(given)
    if given is None:
        return {}
    found: dict[str, Any] = {
        "size": params.get("captionSize"),
        "classes": params.get("captionClasses"),
    }
    found["html" if isinstance(given, Markup) else "text"] = given
    if isinstance(given, Markup):
        found["text"] = given
    return found


def _truncated_slug(text: str) -> str:
    """Jinja's ``truncate(40, true, "")`` with its default leeway of 5 characters."""
    return text if len(text) <= 45 else text[:40]


def render_table(params: Params) -> Markup:
    """The table ``nhsukTable(params)`` renders (see the module's docstring for what is not
    supported)."""
    refused = [name for name in UNSUPPORTED if params.get(name)]
    if refused:
        raise UnsupportedTableOption(", ".join(refused))
    variant = params.get("variant")
    given_classes = params.get("classes") or ""
    names = "nhsuk-table"
    if variant == "reverse" and not (
        "nhsuk-table--reverse" in given_classes
        or "nhsuk-table-responsive--reverse" in given_classes
    ):
        names += " nhsuk-table--reverse"
    if params.get("compact") and "nhsuk-table--compact" not in given_classes:
        names += " nhsuk-table--compact"
    responsive = bool(params.get("responsive"))
    if responsive and "nhsuk-table--responsive" not in given_classes:
        names += " nhsuk-table--responsive"
    if params.get("border") is False and "nhsuk-table--no-border" not in given_classes:
        names += " nhsuk-table--no-border"
    elif (
        params.get("border") is not False
        and params.get("lastRowBorder") is False
        and "nhsuk-table--no-last-row-border" not in given_classes
    ):
        names += " nhsuk-table--no-last-row-border"
    head: Sequence[Any] = params.get("head") or []
    rows = [row for row in params.get("rows") or [] if _iterable(row)]
    sortable = server_sorted = False
    for item in head:
        if isinstance(item, Mapping):
            sortable = sortable or bool(item.get("sort"))
            server_sorted = server_sorted or (sortable and bool(item.get("href")))
    if sortable and "nhsuk-table--sortable" not in given_classes:
        names += " nhsuk-table--sortable"
    if params.get("striped") and "nhsuk-table--striped" not in given_classes:
        names += " nhsuk-table--striped"
    extra = params.get("classes") or params.get("tableClasses")
    if extra:
        names += f" {extra}"

    caption = _caption_params(params)
    table_id = params.get("id")
    scroll = bool(params.get("scroll"))
    # caption.id | default(<id>-caption when scrolling) | default(a slug of the caption's text)
    if "id" in caption:
        caption_id = caption["id"]
    elif scroll and table_id:
        caption_id = f"{table_id}-caption"
    elif scroll and caption.get("text"):
        slug = _truncated_slug(str(caption["text"]).replace(" ", "-").lower())
        caption_id = f"table-{slug}-caption"
    else:
        caption_id = None

    out = [
        f'<table class="{escape(names)}"'
        + _optional(id=table_id)
        + (' data-module="nhsuk-table"' if sortable and not server_sorted else "")
        + (' role="table"' if responsive else "")
        + attributes_html(params.get("attributes"))
        + ">"
    ]
    out.append(_caption(caption, caption_id, "nhsuk-table--sortable" in names))
    row_role = ' role="row"' if responsive else ""
    group_role = ' role="rowgroup"' if responsive else ""
    if head:
        out.append(
            '<thead class="nhsuk-table__head"' + group_role + ">"
            f'<tr class="nhsuk-table__row"{row_role}>'
        )
        for item in head:
            if not _is_cell(item):
                continue
            header = _as_mapping(item)
            raw = header.get("sort")
            sort = raw if isinstance(raw, str) else ("none" if raw is True else None)
            nxt = header.get("sortNext") if isinstance(header.get("sortNext"), str) else None
            sorting = attributes_html(
                {
                    "data-sort": {"value": bool(sort and sortable), "optional": True},
                    "data-sort-next": {
                        "value": nxt if nxt and sortable and not server_sorted else False,
                        "optional": True,
                    },
                    "aria-sort": {
                        "value": sort if sort and sort != "none" and sortable else False,
                        "optional": True,
                    },
                }
            )
            out.append(
                _cell(
                    {
                        "text": header.get("text"),
                        "html": header.get("html"),
                        "visuallyHiddenText": header.get("visuallyHiddenText"),
                        "format": header.get("format"),
                        "href": header.get("href"),
                        "scope": "col",
                        "role": "columnheader" if responsive else None,
                        "colspan": None if responsive else header.get("colspan"),
                        "rowspan": header.get("rowspan"),
                        "align": header.get("align"),
                        "width": header.get("width"),
                        "classes": header.get("classes"),
                        "attributes": sorting + attributes_html(header.get("attributes")),
                        "element": "th",
                    },
                    responsive,
                    None,
                )
            )
        out.append("</tr></thead>")
    out.append('<tbody class="nhsuk-table__body">')
    first_is_header = bool(params.get("firstCellIsHeader"))
    headers = [_as_mapping(item) for item in head]
    # A plain cell (text, html and classes only) renders the same wherever it is in its column:
    # rendered once per table. A heatmap's columns hold a handful of distinct scores over 50
    # rows, and rendering every cell afresh was most of a 500-member dashboard's table time.
    rendered: dict[tuple[Any, ...] | None, str] = {}
    for row in rows:
        out.append(f'<tr class="nhsuk-table__row"{row_role}>')
        for index, item in enumerate(row):
            if not _is_cell(item):
                continue
            data = _as_mapping(item)
            # The same cell object again in its column (rows built with shared cells) renders
            # the same: looked up by identity first, the cheapest key. ``rows`` holds every
            # object until the table is built, so an id cannot be reused meanwhile.
            same = (index, id(item)) if data is item else None
            if same in rendered:
                out.append(rendered[same])
                continue
            key = _plain_key(index, data)
            if key is not None and key in rendered:
                out.append(rendered[key])
                continue
            # Past the last heading the macro's header is a mapping of undefined values: truthy,
            # with no text of its own.
            header = headers[index] if index < len(headers) else {"missing": True}
            leading = index == 0 and first_is_header
            form = data["format"] if "format" in data else header.get("format")
            align = (
                data["align"]
                if "align" in data
                else (
                    "right"
                    if data.get("format") == "string" and header.get("format") == "numeric"
                    else header.get("align")
                )
            )
            role = ("rowheader" if leading else "cell") if responsive else None
            out.append(
                _cell(
                    {
                        "text": data.get("text"),
                        "html": data.get("html"),
                        "visuallyHiddenText": data.get("visuallyHiddenText"),
                        "format": form,
                        "href": data.get("href"),
                        "scope": "row" if leading else None,
                        "role": role,
                        "colspan": None if responsive else data.get("colspan"),
                        "rowspan": data.get("rowspan"),
                        "align": align,
                        "width": data.get("width"),
                        "classes": data.get("classes"),
                        "attributes": _optional(data_sort_value=data.get("sortValue") or None)
                        + attributes_html(data.get("attributes")),
                        "element": "th" if leading else "td",
                        "header": data.get("header"),
                    },
                    responsive,
                    header,
                )
            )
            for found in (same, key):
                if found is not None:
                    rendered[found] = out[-1]
        out.append("</tr>")
    out.append("</tbody></table>")
    html = "\n".join(part for part in out if part)
    if scroll:
        reverse = " nhsuk-scroll--reverse" if variant == "reverse" else ""
        labelled = _optional(aria_labelledby=caption_id)
        html = (
            f'<div class="nhsuk-scroll{reverse}" data-module="nhsuk-scroll">'
            f'<div class="nhsuk-scroll__content" role="region"{labelled}>{html}</div></div>'
        )
    # Every text and attribute value above went through escape(); html cells are Markup.
    return Markup(html)  # noqa: S704  # nosec B704: built from escaped text and Markup cells
