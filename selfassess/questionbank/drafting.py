"""Draft a new framework version from a base one plus standards a coordinator wrote in the app.

The pipeline the web layer calls (issue #22 point 2): put the new standards, as the form gives
them, into a copy of the base framework's files; write those files as the repository would; check
them with the one checker (`check_files`, the code `flask questions check` runs); and place every
problem beside its form field (`fieldmap.py`). Nothing is checked here that the files are not
checked for, except the one thing a file cannot say: a standard's `domain` must be one of the
framework's domains, since that decides which file it is written into.

Lineage, compatible with the shipped files:

- framework.yaml's `continues` names the base as a folder name, `<base id>-<base version>`
  (`alliance-maturity-2.0`), the repository's convention for a version's folder; exported side by
  side as folders, the two versions check with `flask questions check` as they do here;
- every standard carried over from the base continues itself (`continues: [GOV-1]`), whatever it
  continued before, since lineage runs one version back;
- a new standard continues nothing (`continues: []`) unless the draft says otherwise, e.g. when
  it replaces a base standard.

A draft standard is a mapping with the file's fields (`id`, `statement`, `core`, `target`,
`guidance`, `source`, `questions`, ...) plus `domain`, the id of the domain it belongs to. Values
are typed as in the files (`target` an int, `core` a bool, level descriptors keyed by int), so
the web form converts what was typed before calling; a value of the wrong type is written as it
is and the checker says so at its field. A field left None is left out, as a blank form field;
a Decimal (a form's decimal field) is written as the number it is.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from selfassess.questionbank.cross_checks import FRAMEWORK_FILE
from selfassess.questionbank.documents import (
    QUESTION_MODELS,
    DomainDocument,
    FrameworkDocument,
    StandardDocument,
)
from selfassess.questionbank.fieldmap import FieldProblem, field_problems
from selfassess.questionbank.kinds import QuestionKind
from selfassess.questionbank.loader import check_files
from selfassess.questionbank.writer import ALWAYS_WRITTEN, dump_file, framework_data, ordered

Data = dict[str, Any]
Draft = tuple[dict[str, str], FrameworkDocument | None, list[FieldProblem]]


def lineage_name(framework: FrameworkDocument) -> str:
    """Return the folder name a framework version has in the repository: `<id>-<version>`."""
    return f"{framework.id}-{framework.version}"


def draft_framework(
    base: FrameworkDocument,
    new_standards: Sequence[Mapping[str, Any]],
    version: str,
    framework_id: str,
    title: str,
    *,
    stems: Sequence[str] | None = None,
    new_domains: Sequence[Mapping[str, Any]] = (),
    documents_dir: Path | None = None,
) -> Draft:
    """Return the draft's files, the framework if it checks clean, and its problems by field.

    `stems` name the base's domain files (default: domain ids in lower case). `new_domains` are
    mappings with a domain file's fields but no standards (`id`, `name`, `description`, ...),
    added after the base's domains; new standards may belong to them. Problems in a new standard
    are named `standards[<its id>]...`, in a new domain `new_domains[<its id>]...`, in the base
    `domains[i]...`. A standard whose `domain` is not one of the framework's is not written; its
    problem comes first, then the checker's problems in the checker's order.
    """
    files = framework_data(base, stems)
    head = files.pop(FRAMEWORK_FILE)
    head.update(id=framework_id, version=version, title=title, continues=lineage_name(base))
    head = {key: head[key] for key in ordered(FrameworkDocument, list(head))}
    for domain in files.values():
        for standard in domain["standards"]:
            standard["continues"] = [standard["id"]]
            _reorder(standard, StandardDocument)
    aliases: dict[str, str] = {}
    for new in new_domains:
        stem = _new_stem(new, len(head["domains"]), files)
        aliases[f"domains[{len(head['domains'])}]"] = f"new_domains[{new.get('id', '')}]"
        head["domains"] = [*head["domains"], stem]
        files[f"{stem}.yaml"] = _ordered_model(_clean({**new, "standards": []}), DomainDocument)
    placement = _place(new_standards, list(files.values()), aliases)
    written = {FRAMEWORK_FILE: dump_file(FRAMEWORK_FILE, head)}
    written.update({name: dump_file(name, data) for name, data in files.items()})
    framework, problems = check_files(
        written, documents_dir=documents_dir, previous={lineage_name(base): base}
    )
    located = field_problems(problems, head["domains"], aliases=aliases)
    return written, framework, placement + located


def _place(
    new_standards: Sequence[Mapping[str, Any]], domains: list[Data], aliases: dict[str, str]
) -> list[FieldProblem]:
    """Append each draft standard to its domain's data; a problem for each with no such domain."""
    ids = [domain.get("id") for domain in domains]
    problems = []
    for draft in new_standards:
        standard = _clean(dict(draft))
        code = str(standard.get("id", ""))
        domain_id = standard.pop("domain", None)
        if domain_id not in ids:
            choices = ", ".join(str(known) for known in ids)
            message = f"choose one of the framework's domains: {choices}"
            field = f"standards[{code}].domain"
            problems.append(FieldProblem(field, message))
            continue
        index = ids.index(domain_id)
        standard.setdefault("continues", [])
        if isinstance(standard.get("questions"), list):
            standard["questions"] = [_question(item) for item in standard["questions"]]
        aliases[f"domains[{index}].standards[{len(domains[index]['standards'])}]"] = (
            f"standards[{code}]"
        )
        domains[index]["standards"].append(_ordered_model(standard, StandardDocument))
    return problems


def _question(item: object) -> object:
    if not isinstance(item, dict):
        return item
    kind = item.get("type")
    if not isinstance(kind, str) or kind not in {str(known) for known in QuestionKind}:
        kind = QuestionKind.TEXT  # written as given; the checker names the unknown type
    return _ordered_model(item, QUESTION_MODELS[QuestionKind(kind)])


def _new_stem(domain: Mapping[str, Any], position: int, files: Mapping[str, Data]) -> str:
    """Name a new domain's file by its id, or by its place when the id is unusable or taken."""
    domain_id = domain.get("id")
    stem = domain_id.lower() if isinstance(domain_id, str) else ""
    usable = stem.isascii() and stem.isalnum() and f"{stem}.yaml" not in files
    return stem if usable else f"domain-{position + 1}"


def _ordered_model(data: Data, model: type[Any]) -> Data:
    """Return the data in the model's written order, with the fields the files always write.

    So a clean draft's files are exactly what `write_framework` writes for its document.
    """
    for name in ALWAYS_WRITTEN.get(model, ()):
        data.setdefault(name, model.model_fields[name].get_default())
    return {key: data[key] for key in ordered(model, list(data))}


def _reorder(data: Data, model: type[Any]) -> None:
    ordered_data = _ordered_model(data, model)
    data.clear()
    data.update(ordered_data)


def _clean(value: Any) -> Any:
    """Leave out fields left None (blank in the form), at every depth; numbers as the files hold.

    A form's decimal field gives a Decimal, which YAML cannot write; as a float it is written as
    the number typed (3.0 as 3, which also reads back as the int a level needs).
    """
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {key: _clean(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value
