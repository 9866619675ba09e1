"""Turn plain data (dicts, lists, str, int, float, bool) into YAML written the way people write it.

The question bank's files are reviewed in git and edited by hand, so the text written for them
follows the shipped files: block style, sequences indented under their key, short text plain,
long text folded (`>-`), text with line breaks literal (`|`), double quotes only where a value
would otherwise read as something else (`version: "1.0"`, `unit: "%"`), whole numbers without
`.0`, and no Python tags (the safe dumper refuses any other type). Every text is parsed back
before it is returned, so a writer bug cannot silently change what a file says.
"""

from typing import Any

import yaml

from selfassess.questionbank.yamlmap import Loader

#: Folded lines break at the first space past this column: most end by column 100, as in 2.0.
WIDTH = 88
#: Text longer than this is folded onto its own lines; shorter text stays on the key's line.
FOLD_AFTER = 80


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML ships no type hints
    """The safe dumper with indented sequences and double quotes when quotes are needed."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # PyYAML writes "key:\n- item"; the shipped files write "key:\n  - item".
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        # A value given twice is written twice: files people read have no anchors (&id001).
        return True

    def choose_scalar_style(self) -> str:
        style: str = super().choose_scalar_style()
        return '"' if style == "'" else style


def _text(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else ">" if len(value) > FOLD_AFTER else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _number(dumper: _Dumper, value: float) -> yaml.ScalarNode:
    # Weights, targets and thresholds are floats in the models but whole numbers in the files.
    if value.is_integer() and abs(value) < 2**53:
        return dumper.represent_int(int(value))
    return dumper.represent_float(value)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(float, _number)


def dump_yaml(data: Any) -> str:
    """Return `data` as YAML text; ValueError if the text would not read back as `data`."""
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=WIDTH,
    )
    if yaml.load(text, Loader=Loader) != data:  # noqa: S506  # nosec B506: a safe loader
        raise ValueError("the YAML written does not read back as the data given")
    return text


def space_items(text: str, key: str) -> str:
    """Put a blank line between the items of the top-level list `key`, as the 1.0 files do.

    The item lines are found by parsing the text, never by pattern, so no value can be mistaken
    for an item.
    """
    root = yaml.compose(text, Loader=Loader)
    if not isinstance(root, yaml.MappingNode):
        return text
    starts: set[int] = set()
    for key_node, value_node in root.value:
        if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
            starts = {item.start_mark.line for item in value_node.value[1:]}
    lines = text.splitlines(keepends=True)
    return "".join(("\n" if number in starts else "") + line for number, line in enumerate(lines))
