"""Validate a parsed file against a model, turning pydantic's errors into located Problems."""

import difflib
from collections.abc import Hashable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from selfassess.questionbank import definitions, documents
from selfassess.questionbank.kinds import QuestionKind
from selfassess.questionbank.problems import Problem
from selfassess.questionbank.yamlmap import DataPath, YamlDoc

M = TypeVar("M", bound=BaseModel)

_KIND_NAMES = ", ".join(kind.value for kind in QuestionKind)

_FILE_MODELS: tuple[type[BaseModel], ...] = (
    documents.FrameworkFileDocument,
    documents.ScaleLevel,
    documents.Source,
    documents.DomainDocument,
    documents.StandardDocument,
    definitions.MetricDefinition,
    definitions.StandardBasis,
    *documents.QUESTION_MODELS.values(),
)
#: Every field name the files may use, to suggest the intended one when a typo makes one unknown.
FIELD_NAMES: frozenset[str] = frozenset(
    name for model in _FILE_MODELS for name in model.model_fields
)


def validate(model: type[M], doc: YamlDoc) -> tuple[M | None, list[Problem]]:
    """Return the validated model, or None and a Problem for every error pydantic found."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [_problem(doc, error) for error in exc.errors()]


def _problem(doc: YamlDoc, error: ErrorDetails) -> Problem:
    path, is_key = _data_path(error["loc"], doc.data)
    kind = error["type"]
    given = error.get("input")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        path = (*path, "type")
        if kind == "union_tag_not_found":
            return doc.problem(path, "required field is missing")
        tag = error.get("ctx", {}).get("tag")
        message = f"unknown question type {tag!r}; use one of {_KIND_NAMES}"
        return doc.problem(path, message)
    if kind == "missing":
        return doc.problem(path, "required field is missing")
    if kind == "extra_forbidden":
        return doc.problem(path, _unknown_field(path[-1]))
    if given is None:
        return doc.problem(path, "has no value" if path else "the file is empty")
    if kind in ("model_type", "model_attributes_type"):
        return doc.problem(path, f"expected a mapping of fields, not a {type(given).__name__}")
    if kind == "dict_type":
        return doc.problem(path, f"expected a mapping, not a {type(given).__name__}")
    message = error["msg"]
    if kind.endswith(("_type", "_parsing")) or kind == "literal_error":
        message += f" (got {_shorten(repr(given))})"
    return doc.problem(path, f"key {message}" if is_key else message)


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _unknown_field(name: Hashable) -> str:
    close = difflib.get_close_matches(str(name), FIELD_NAMES, n=1, cutoff=0.75)
    return f"unknown field; did you mean {close[0]!r}?" if close else "unknown field"


def _data_path(loc: tuple[int | str, ...], data: Any) -> tuple[DataPath, bool]:
    """Map a pydantic error location onto the data: drop union tags, note dict-key errors."""
    path: list[Hashable] = []
    is_key = False
    node = data
    tag_next = False  # the discriminated union puts the question's type tag right after its index
    for step in loc:
        if step == "[key]":
            is_key = True
            continue
        if tag_next and isinstance(node, dict) and node.get("type") == step:
            tag_next = False
            continue
        path.append(step)
        tag_next = _is_question(path)
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            node = None
    return tuple(path), is_key


def _is_question(path: list[Hashable]) -> bool:
    return len(path) >= 2 and path[-2] == "questions" and isinstance(path[-1], int)
