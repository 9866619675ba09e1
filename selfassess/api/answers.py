"""How every API list is answered: one page in a stable order, JSON or CSV by ``Accept``, with
an ``ETag`` so a client polling for changes gets ``304 Not Modified`` instead of the body."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from flask import Response, request, url_for
from pydantic import BaseModel, ValidationError

from ..demonstration import demo_notice
from ..exports.csv_writer import write_csv
from . import schemas
from .problems import Problem, html_safe

JSON, CSV = "application/json", "text/csv"
Q = TypeVar("Q", bound=BaseModel)


def parse_query(model: type[Q]) -> Q:
    """The query string as ``model``; anything invalid is a 400 problem listing each error."""
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as error:
        raise Problem(
            400,
            errors=[
                {"loc": list(e["loc"]), "msg": e["msg"]}
                for e in error.errors(include_url=False, include_context=False, include_input=False)
            ],
        ) from None


def wanted_type() -> str:
    """JSON unless the caller prefers CSV; 406 when it accepts neither."""
    if not request.headers.get("Accept"):
        return JSON
    best = request.accept_mimetypes.best_match([JSON, CSV])
    if best is None:
        raise Problem(406)
    return best


def _link(page: int) -> str:
    values: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict()}
    values["page"] = str(page)
    return url_for(request.endpoint or "", **values)


def listing(
    envelope: type[schemas._Page],
    items: Sequence[BaseModel],
    query: schemas.PageQuery,
    *,
    csv_columns: Sequence[str] | None = None,
    csv_rows: Sequence[Sequence[object]] | None = None,
    **extra: Any,
) -> Response:
    """One page of ``items`` as ``envelope`` (JSON) or as CSV rows.

    CSV rows are the items flattened, or ``csv_rows`` when the resource has a CSV of its own
    (the scores export), sliced to the same page.
    """
    kind = wanted_type()
    total = len(items)
    start = (query.page - 1) * query.per_page
    end = start + query.per_page
    if kind == CSV:
        if csv_columns is None or csv_rows is None:
            columns, rows = _flatten(envelope, items)
        else:
            columns, rows = list(csv_columns), [list(r) for r in csv_rows]
        body = write_csv(columns, rows[start:end], notice=demo_notice()).encode()
    else:
        last = max(1, -(-total // query.per_page))
        document = envelope.model_validate(
            {
                "page": query.page,
                "per_page": query.per_page,
                "total": total,
                "links": {
                    "self": _link(query.page),
                    "next": _link(query.page + 1) if query.page < last else None,
                    "prev": _link(min(query.page - 1, last)) if query.page > 1 else None,
                },
                "notice": demo_notice(),
                "items": [i.model_dump() for i in items[start:end]],
                **{k: v.model_dump() if isinstance(v, BaseModel) else v for k, v in extra.items()},
            }
        )
        body = html_safe(document.model_dump_json()).encode()
    return conditional(body, kind)


def document(model: BaseModel) -> Response:
    """A single document (not a list) as JSON."""
    if wanted_type() == CSV:
        raise Problem(406, "This resource is available as application/json only.")
    return conditional(html_safe(model.model_dump_json()).encode(), JSON)


def conditional(body: bytes, kind: str) -> Response:
    """The answer with a strong ``ETag`` of its body; ``If-None-Match`` may turn it into 304.

    The tag is a digest of exactly what this caller would receive, so it reveals nothing
    another caller's answer would not, and two callers with the same view share a tag.
    """
    response = Response(body, mimetype=kind)
    response.headers["Vary"] = "Accept, Authorization"
    response.add_etag()
    response.make_conditional(request)  # answers 304, without the body, when the tag matches
    return response


def _flatten(
    envelope: type[schemas._Page], items: Sequence[BaseModel]
) -> tuple[list[str], list[list[object]]]:
    """Item fields as CSV columns: lists joined with ';' (nested records by their code)."""
    item_model = envelope.model_fields["items"].annotation.__args__[0]  # type: ignore[union-attr]
    columns = [name for name in item_model.model_fields]
    rows = []
    for item in items:
        dumped = item.model_dump(mode="json")
        row: list[object] = []
        for name in columns:
            value = dumped[name]
            if isinstance(value, list):
                value = ";".join(
                    str(v.get("code", "")) if isinstance(v, dict) else str(v) for v in value
                )
            elif isinstance(value, dict):
                value = ";".join(f"{k}={v}" for k, v in value.items())
            elif isinstance(value, bool):
                value = "true" if value else "false"
            row.append(value)
        rows.append(row)
    return columns, rows
