"""A page's markup shape: what HTML validation can see of it, without its data.

The suite renders thousands of distinct pages (about 8,500 in a full run), most of them one
template filled with different data: other names, other numbers, more or fewer table rows.
html-validate takes about 80 ms a page, so validating each would add minutes to every run. Two
pages with the same shape get the same verdict from the validator's rules, so the gate
(``tests/html_gate.py``) validates one page of each shape, and every page rendered is either
validated or has the shape of one that was.

The shape keeps every element, in order, with every attribute name; and attribute values,
except that digits become ``0`` (ids, names and references such as ``q-12``) and values that
are free text (labels, titles, links, form values) become only "empty" or "not empty".
Text becomes ``t`` (blank text is dropped), keeping only a raw ``&``, ``<`` or ``>`` (an
escaped one is text like any other). Script and style contents are dropped, as the validator
does not read them. The children of rows, lists, table sections, selects and description lists
count as a set: their order and how often each repeats do not change what the rules check.
What the rules do check across the whole page by value is computed exactly, on the real values,
and kept in the shape: whether any id repeats, whether any reference (``for``,
``aria-describedby``, ``headers``, ...) names a missing id, and whether a form field's name
repeats (radios, checkboxes and buttons may share theirs).
"""

from __future__ import annotations

import hashlib
import re

_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<(script|style)\b([^>]*)>.*?</\1\s*>"
    r"|<(/?)([A-Za-z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
    r"|([^<]+)",
    re.S | re.I,
)
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_DIGITS = re.compile(r"\d+")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|\w+);")
_PLAIN = re.compile(r"[^&<>]+")

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
#: Elements whose children count as a set (order and repeats dropped).
COLLECTIONS = frozenset(["tbody", "thead", "tfoot", "ul", "ol", "select", "dl", "tr"])
REFERENCES = frozenset(
    [
        "for",
        "aria-describedby",
        "aria-labelledby",
        "aria-controls",
        "aria-owns",
        "aria-errormessage",
        "aria-details",
        "aria-activedescendant",
        "headers",
        "list",
        "form",
    ]
)
FREE_TEXT = frozenset(
    [
        "aria-label",
        "title",
        "alt",
        "placeholder",
        "value",
        "content",
        "href",
        "action",
        "src",
        "srcset",
        "label",
        "aria-valuetext",
        "aria-valuenow",
        "aria-valuemin",
        "aria-valuemax",
        "nonce",
    ]
)
SHARED_NAMES = frozenset(["radio", "checkbox", "button", "reset", "submit", "image"])
FIELDS = frozenset(["input", "select", "textarea", "button"])


class _Shape:
    """One page's shape, built in one pass over its tags."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.references: list[str] = []
        self.names: list[str] = []
        self.root: list[str] = []
        self.open: list[tuple[str, str, list[str]]] = []

    def add(self, piece: str) -> None:
        (self.open[-1][2] if self.open else self.root).append(piece)

    def close(self, name: str) -> None:
        while self.open:
            tag, opening, children = self.open.pop()
            inner = "".join(sorted(set(children))) if tag in COLLECTIONS else "".join(children)
            self.add(f"{opening}{inner}</{tag}>")
            if tag == name:
                return

    def attributes(self, raw: str, tag: str) -> str:
        parts = []
        found: dict[str, str] = {}
        for name, double, single, bare in _ATTRIBUTE.findall(raw or ""):
            name = name.lower()
            value = double or single or bare
            found[name] = value
            if name == "id":
                self.ids.append(value)
                value = _DIGITS.sub("0", value)
            elif name in REFERENCES:
                self.references.extend(value.split())
                value = _DIGITS.sub("0", value)
            elif name in FREE_TEXT or name.startswith("data-"):
                value = "x" if value.strip() else ""
            else:
                value = _DIGITS.sub("0", value)
            parts.append(f" {name}={value!r}")
        if tag in FIELDS and "name" in found and found.get("type", "") not in SHARED_NAMES:
            self.names.append(f"{found.get('form', '')}|{found['name']}")
        return "".join(parts)

    def text(self) -> str:
        known = set(self.ids)
        flags = (
            len(known) != len(self.ids),
            any(reference not in known for reference in self.references),
            len(set(self.names)) != len(self.names),
        )
        return repr(flags) + "".join(self.root)


def shape(body: str) -> str:
    """The page's shape (see the module docstring)."""
    built = _Shape()
    for match in _TOKEN.finditer(body):
        raw_tag, raw_attributes, closing, name, attributes, text = match.groups()
        if raw_tag:
            built.add(f"<{raw_tag.lower()}{built.attributes(raw_attributes, raw_tag.lower())}>s")
        elif name:
            name = name.lower()
            if closing:
                if any(tag == name for tag, _, _ in built.open):
                    built.close(name)
                else:
                    built.add(f"</{name}>")  # a stray end tag: part of the shape
            elif name in VOID or attributes.rstrip().endswith("/"):
                built.add(f"<{name}{built.attributes(attributes, name)}>")
            else:
                built.open.append((name, f"<{name}{built.attributes(attributes, name)}>", []))
        elif text is not None and text.strip():
            built.add(_PLAIN.sub("t", _ENTITY.sub("t", text)))
    while built.open:
        built.close(built.open[-1][0])
    return built.text()


def shape_key(body: str) -> str:
    return hashlib.sha256(shape(body).encode()).hexdigest()[:24]
