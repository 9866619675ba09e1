"""Our tables: the design system's table in its scroll region, labelled by its caption, as
``templates/macros/tables.html`` calls it (``data_table``). Kept apart from the port of the
macro itself (``nhsuk_tables.py``), which renders any table the design system can."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from .nhsuk_attributes import is_mapping
from .nhsuk_tables import render_table


def data_table(
    id: str,
    caption: str,
    head: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    show_caption: bool = False,
    responsive: bool = False,
    row_headers: bool = False,
    classes: str | None = None,
    attributes: Mapping[str, Any] | None = None,
    caption_size: str | None = None,
    empty: str | None = None,
    caption_hidden_text: str | None = None,
) -> Markup:
    """Our tables: the design system's table in its scroll region, labelled by its caption
    (see ``templates/macros/tables.html`` for the options). Numbers (0 included) and None are
    written as text: the macro would drop a cell that is not a string or a mapping."""
    cells: list[list[Any]] = []
    for row in rows:
        out: list[Any] = []
        for cell in row:
            if is_mapping(cell):
                text = cell.get("text")
                out.append(
                    {**cell, "text": str(text)}
                    if text is not None and not isinstance(text, str)
                    else cell
                )
            elif isinstance(cell, str):
                out.append(cell)
            else:
                out.append({"text": "" if cell is None else str(cell)})
        cells.append(out)
    if not cells and empty:
        # colspan as an attribute: the macro leaves a cell's colspan out of a responsive table.
        cells.append(
            [{"text": empty, "classes": "app-table-empty", "attributes": {"colspan": len(head)}}]
        )
    return render_table(
        {
            "id": id,
            "caption": {
                "text": caption,
                "classes": None if show_caption else "nhsuk-u-visually-hidden",
                "size": caption_size,
                "visuallyHiddenText": caption_hidden_text,
            },
            "head": head,
            "rows": cells,
            "scroll": True,
            "responsive": responsive,
            "firstCellIsHeader": row_headers,
            "classes": classes,
            "attributes": attributes,
        }
    )
