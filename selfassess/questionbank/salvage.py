"""Find the parts of a file that are valid on their own, so one error does not hide other rules.

When a domain file fails validation, its standards (or, inside a broken standard, its questions)
that do validate are still checked against the cross-file rules in the same run.
"""

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field

from pydantic import TypeAdapter, ValidationError

from selfassess.questionbank.documents import (
    DomainDocument,
    DomainStem,
    QuestionDocument,
    ScaleLevel,
    StandardDocument,
)
from selfassess.questionbank.yamlmap import DataPath

_SCALE = TypeAdapter(list[ScaleLevel])
_STEM = TypeAdapter(DomainStem)
_QUESTION: TypeAdapter[QuestionDocument] = TypeAdapter(QuestionDocument)


@dataclass(frozen=True)
class LooseQuestion:
    """A valid question inside a standard that is not valid as a whole."""

    path: DataPath
    standard_id: str | None
    question: QuestionDocument


@dataclass(frozen=True)
class DomainParts:
    """The valid parts of a domain file: all of it when the file is valid."""

    domain_id: str | None
    standards: list[tuple[int, StandardDocument]]
    loose: list[LooseQuestion] = field(default_factory=list)

    @classmethod
    def of(cls, domain: DomainDocument) -> "DomainParts":
        """Return the parts of a valid domain."""
        return cls(domain.id, list(enumerate(domain.standards)))

    def ids(self) -> list[tuple[DataPath, str]]:
        """Return every id declared in these parts with its path, in file order."""
        found: list[tuple[DataPath, str]] = []
        if self.domain_id is not None:
            found.append((("id",), self.domain_id))
        for index, standard in self.standards:
            found.append((("standards", index, "id"), standard.id))
            for number, question in enumerate(standard.questions):
                found.append((("standards", index, "questions", number, "id"), question.id))
        found += [((*loose.path, "id"), loose.question.id) for loose in self.loose]
        return sorted(found, key=lambda item: _order(item[0]))


def domain_parts(data: object) -> DomainParts:
    """Return the valid parts of an invalid domain file's data."""
    fields = data if isinstance(data, dict) else {}
    standards: list[tuple[int, StandardDocument]] = []
    loose: list[LooseQuestion] = []
    for index, item in enumerate(_list(fields.get("standards"))):
        try:
            standards.append((index, StandardDocument.model_validate(item)))
        except ValidationError:
            raw = item if isinstance(item, dict) else {}
            standard_id = _text(raw.get("id"))
            for number, question in enumerate(_list(raw.get("questions"))):
                with suppress(ValidationError):
                    valid = _QUESTION.validate_python(question)
                    path = ("standards", index, "questions", number)
                    loose.append(LooseQuestion(path, standard_id, valid))
    return DomainParts(_text(fields.get("id")), standards, loose)


def framework_parts(data: object) -> tuple[list[ScaleLevel] | None, list[str | None]]:
    """Return the scale if valid, and the domain stems with None where a stem is invalid."""
    fields = data if isinstance(data, dict) else {}
    scale = None
    with suppress(ValidationError):
        scale = _SCALE.validate_python(fields.get("scale"))
    stems: list[str | None] = []
    for item in _list(fields.get("domains")):
        try:
            stems.append(_STEM.validate_python(item))
        except ValidationError:
            stems.append(None)
    return scale, stems


def _list(value: object) -> Sequence[object]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _order(path: DataPath) -> tuple[int, ...]:
    return tuple(step if isinstance(step, int) else -1 for step in path)
