"""Read a YAML file as data plus a map from each data path to the line it was written on.

`yaml.compose()` gives the node tree, whose marks carry line numbers, and the data that is
validated is constructed from it, as `yaml.safe_load()` would construct it. Walking the nodes
with the same keys the data has lets any problem found in the data (by pydantic or by the
cross-file checks) be reported at its line.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor

from selfassess.questionbank.problems import WHOLE_FILE, Problem

#: libyaml's parser when PyYAML was built with it (the wheels are): about 10 times faster than the
#: pure-Python one, which took most of a request that checks a draft framework (2.6 s of 3.4).
Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: A path into loaded YAML data: mapping keys and sequence indexes, e.g. ("standards", 1, "id").
DataPath = tuple[Hashable, ...]


@dataclass(frozen=True)
class YamlDoc:
    """One parsed file: its label for messages, its data and the line of every data path."""

    label: str
    data: object
    lines: Mapping[DataPath, int]
    problems: list[Problem] = field(default_factory=list)

    def line(self, path: DataPath) -> int:
        """Return the line of `path`, or of its nearest ancestor if absent (a missing field)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1

    def field(self, path: DataPath) -> str:
        """Spell `path` as people read it: `standards[1].questions[0].levels`."""
        return format_field(path, self.data)

    def problem(self, path: DataPath, message: str) -> Problem:
        """Locate a message about the value at `path`."""
        return Problem(self.label, self.line(path), self.field(path), message)


def format_field(path: DataPath, data: object) -> str:
    """Spell a data path with [n] for sequence indexes and .key for mapping keys."""
    text = ""
    node = data
    for key in path:
        if isinstance(node, list) and isinstance(key, int):
            text += f"[{key}]"
            node = node[key] if -len(node) <= key < len(node) else None
        else:
            text += f".{key}" if text else str(key)
            node = node.get(key) if isinstance(node, dict) else None
    return text or WHOLE_FILE


def read_yaml(path: Path, label: str) -> YamlDoc | Problem:
    """Parse one file; a file that is not readable YAML comes back as a Problem instead."""
    return parse_yaml(path.read_bytes(), label)


def parse_yaml(content: str | bytes, label: str) -> YamlDoc | Problem:
    """Parse one file's content, bytes (UTF-8) or text; unreadable YAML comes back as a Problem.

    Line ends are read as a file opened in text mode reads them, so the bytes of a folder's file
    and the same file held in memory (an upload, a draft) give the same data and line numbers.
    """
    try:
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        refused = _refuse_shapes(text, label)
        if refused is not None:
            return refused
        node = yaml.compose(text, Loader=Loader)
        # The data from the same nodes (what safe_load does), not from a second parse.
        data = SafeConstructor().construct_document(node) if node is not None else None
    except UnicodeDecodeError as exc:
        return Problem(label, 1, WHOLE_FILE, f"not UTF-8 text ({exc.reason})")
    except yaml.MarkedYAMLError as exc:
        return _syntax_problem(label, exc)
    except yaml.YAMLError as exc:  # unmarked errors are rare (e.g. a bad stream); still report them
        return Problem(label, 1, WHOLE_FILE, f"YAML error: {exc}")
    lines: dict[DataPath, int] = {}
    repeats: list[tuple[DataPath, int, int]] = []
    if node is not None:
        _walk(node, (), lines, repeats, SafeConstructor(), set())
    # safe_load silently keeps the last of repeated keys, so a repeat would lose data unnoticed
    problems = [
        Problem(label, line, format_field(key_path, data), f"duplicate key (first at line {first})")
        for key_path, line, first in repeats
    ]
    return YamlDoc(label, data, lines, problems)


#: Deeper than any question-bank file goes (about 8), far below the parser's recursion limit.
MAX_DEPTH = 40


def _refuse_shapes(text: str, label: str) -> Problem | None:
    """Refuse, from the event stream alone (linear in the text), what no question-bank file
    needs and an uploaded file could use against the server: aliases (a few hundred bytes of
    nested aliases expand to billions of nodes when walked) and very deep nesting (the parser
    and validators recurse)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else 1
                return Problem(
                    label,
                    line,
                    WHOLE_FILE,
                    "YAML aliases (*name) are not allowed: write the value out",
                )
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else 1
                    return Problem(
                        label, line, WHOLE_FILE, f"nested more than {MAX_DEPTH} levels deep"
                    )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml has a nesting limit of its own and may reach it while reading ahead of the
        # events counted here: the same refusal, in the same words.
        if "nesting depth" not in str(exc.problem):
            raise
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        return Problem(label, line, WHOLE_FILE, f"nested more than {MAX_DEPTH} levels deep")
    return None


def _syntax_problem(label: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = f"YAML syntax error: {exc.problem or exc.context}"
    if exc.context and exc.problem and exc.context_mark is not None:
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    return Problem(label, mark.line + 1 if mark else 1, WHOLE_FILE, message)


def _walk(
    node: yaml.Node,
    path: DataPath,
    lines: dict[DataPath, int],
    repeats: list[tuple[DataPath, int, int]],
    constructor: SafeConstructor,
    active: set[int],
) -> None:
    if id(node) in active:  # a recursive alias: the data it makes has no further lines to find
        return
    active.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: dict[Hashable, int] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                repeats.append(((*path, key), line, seen[key]))
            seen.setdefault(key, line)
            lines[(*path, key)] = line
            _walk(value_node, (*path, key), lines, repeats, constructor, active)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _walk(item, (*path, index), lines, repeats, constructor, active)
    lines.setdefault(path, node.start_mark.line + 1)
    active.discard(id(node))
