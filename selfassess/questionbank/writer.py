"""Write a FrameworkDocument as the repository's YAML files: framework.yaml and one file per domain.

An alliance's framework moves between instances and is reviewed in git as these files, so they
read like the shipped ones: the same files, fields in the same order (`FIELD_ORDER`, taken from
questions/alliance-maturity-1.0 and -2.0), block style (see `yamltext.py`). Which fields appear:

- required fields always;
- optional fields when their value differs from the default, or when the author wrote them
  (pydantic's `model_fields_set`: 2.0's metrics say `scored_by: thresholds` on purpose);
- `weight` of domains, standards and maturity questions always, as every shipped file does;
- never a field whose value is None (an optional field left empty).

So load -> write -> load gives an equal document, and writing is deterministic. Domain files are
named by `stems` (framework.yaml's `domains:` list) when given, else by the domain's id in lower
case (`GOV` -> `gov.yaml`), which does not change when a domain is renamed.
"""

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from selfassess.questionbank import definitions, documents
from selfassess.questionbank.cross_checks import FRAMEWORK_FILE
from selfassess.questionbank.yamltext import dump_yaml, space_items

_QUESTION = ("id", "type", "text", "guidance", "answered_by", "required", "weight")
#: The order fields are written in, per model; a model's other fields follow in model order.
FIELD_ORDER: dict[type[BaseModel], tuple[str, ...]] = {
    documents.FrameworkDocument: (
        "id",
        "version",
        "title",
        "description",
        "scoring",
        "continues",
        "scale",
        "domains",
        "sources",
    ),
    documents.ScaleLevel: ("level", "label", "descriptor"),
    documents.Source: ("key", "document", "title"),
    documents.DomainDocument: ("id", "name", "description", "weight", "standards"),
    documents.StandardDocument: (
        "id",
        "statement",
        "core",
        "target",
        "weight",
        "guidance",
        "source",
        "continues",
        "basis",
        "questions",
    ),
    definitions.StandardBasis: ("target", "core", "note"),
    definitions.MetricDefinition: ("measure", "source", "period"),
    documents.MaturityQuestionDocument: (*_QUESTION, "levels"),
    documents.YesNoQuestionDocument: (*_QUESTION, "yes_level", "gates_level"),
    documents.MetricQuestionDocument: (
        *_QUESTION,
        "definition",
        "unit",
        "better",
        "target",
        "scored_by",
        "thresholds",
        "thresholds_basis",
        "min",
        "max",
    ),
    documents.TextQuestionDocument: _QUESTION,
}
#: Fields written even at their default, because the shipped files always write them.
ALWAYS_WRITTEN: dict[type[BaseModel], frozenset[str]] = {
    documents.DomainDocument: frozenset({"weight"}),
    documents.StandardDocument: frozenset({"weight"}),
    documents.MaturityQuestionDocument: frozenset({"weight"}),
}


def default_stems(framework: documents.FrameworkDocument) -> list[str]:
    """Return a file stem per domain when none are given: the domain id in lower case."""
    return [domain.id.lower() for domain in framework.domains]


def write_framework(
    framework: documents.FrameworkDocument, stems: Sequence[str] | None = None
) -> dict[str, str]:
    """Return the framework's files, name -> YAML text: framework.yaml, then each domain's file.

    `stems` names each domain's file (without .yaml), in the framework's domain order.
    """
    return {name: dump_file(name, data) for name, data in framework_data(framework, stems).items()}


def framework_data(
    framework: documents.FrameworkDocument, stems: Sequence[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Return each file's data, name -> mapping in written order, before it becomes text.

    Drafting works on this data, so that a draft that is not yet valid can still be written.
    """
    names = list(stems) if stems is not None else default_stems(framework)
    if len(names) != len(framework.domains):
        raise ValueError(f"{len(names)} stems for {len(framework.domains)} domains")
    head = model_data(framework, exclude=("domains",))
    head = {
        name: names if name == "domains" else head[name]
        for name in ordered(documents.FrameworkDocument, [*head, "domains"])
    }
    files = {FRAMEWORK_FILE: head}
    for stem, domain in zip(names, framework.domains, strict=True):
        files[f"{stem}.yaml"] = model_data(domain)
    return files


def dump_file(name: str, data: Mapping[str, Any]) -> str:
    """Return one file's text; a domain file has a blank line between its standards."""
    text = dump_yaml(dict(data))
    return text if name == FRAMEWORK_FILE else space_items(text, "standards")


def model_data(model: BaseModel, exclude: Sequence[str] = ()) -> dict[str, Any]:
    """Return a model's fields as plain data, in written order, leaving out what the files omit."""
    fields = type(model).model_fields
    always = ALWAYS_WRITTEN.get(type(model), frozenset())
    data: dict[str, Any] = {}
    for name in ordered(type(model), [name for name in fields if name not in exclude]):
        value = getattr(model, name)
        if value is not None and (
            name in always or name in model.model_fields_set or _differs(fields[name], value)
        ):
            data[name] = plain(value)
    return data


def _differs(info: FieldInfo, value: object) -> bool:
    """Whether a value must be written: the field is required, or the value is not its default."""
    return info.is_required() or bool(value != info.get_default(call_default_factory=True))


def ordered(model: type[BaseModel], names: Sequence[str] | Mapping[str, object]) -> list[str]:
    """Return `names` in the written order of `model`'s fields; names it does not know go last."""
    order = FIELD_ORDER.get(model, ())
    rank = {name: index for index, name in enumerate(order)}
    return sorted(names, key=lambda name: rank.get(name, len(order)))


def plain(value: Any) -> Any:
    """Return a value as data the YAML writer takes: models as mappings, enums as their text."""
    if isinstance(value, BaseModel):
        return model_data(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value
