"""Pages build the design system's components through its own Jinja macros (issue #16).

Every template under ``selfassess/templates/`` is scanned for a hand-written root element of a
component that ``nhsuk-frontend-jinja`` provides as a macro: a ``class="…"`` attribute naming the
component's root class (``nhsuk-card``, not ``nhsuk-card__content`` nor ``nhsuk-card--feature``).
Such markup copies the design system's classes by hand, drifts from it (a card without its
``nhsuk-card__content``, a tag without the component's escaping) and must instead come from
``{% from "nhsuk/components/<name>/macro.jinja" import … %}``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "selfassess" / "templates"

# Component → the root class its macro renders. Only components already converted are listed;
# add one here once its hand-written copies are gone.
COMPONENTS = {
    "card": "nhsuk-card",
    "details": "nhsuk-details",
    "inset-text": "nhsuk-inset-text",
    "summary-list": "nhsuk-summary-list",
    "tag": "nhsuk-tag",
    "button": "nhsuk-button",
    "pagination": "nhsuk-pagination",
    "task-list": "nhsuk-task-list",
    "error-summary": "nhsuk-error-summary",
    "fieldset": "nhsuk-fieldset",
    "radios": "nhsuk-radios",
    "checkboxes": "nhsuk-checkboxes",
    "select": "nhsuk-select",
    "textarea": "nhsuk-textarea",
    "input": "nhsuk-input",
    "caption": "nhsuk-caption-l",
    "table": "nhsuk-table",
    "scroll": "nhsuk-scroll",
    "file-upload": "nhsuk-file-upload",
    "hint": "nhsuk-hint",
    "label": "nhsuk-label",
    "error-message": "nhsuk-error-message",
}

# (template, component) pairs that truly cannot use the macro, each with its reason.
ALLOWED: dict[tuple[str, str], str] = {
    # A save that clashed with someone else's: the summary shows, for each clashing answer, a
    # heading and a summary list of their version beside yours. The error summary macro holds a
    # heading, one paragraph and a list of links, so it cannot carry these side-by-side answers.
    ("questionnaire/section.html", "error-summary"): "conflicting answers side by side",
    ("alliance_profile/profile.html", "error-summary"): "conflicting answers side by side",
}

# Elements that only a component renders, whatever their class: a hand-written <details> is the
# details component without the design system's look and keyboard focus style; a hand-written
# <table> misses the table macro's scroll region, caption id and phone layout.
ELEMENTS = {"details": re.compile(r"<details\b"), "table": re.compile(r"<table\b")}

# class="…" in markup, and class_='…' handed to a WTForms field (which then renders the control).
CLASS_ATTR = re.compile(r"""\bclass_?\s*=\s*("[^"]*"|'[^']*')""")


def _root_class(name: str) -> re.Pattern[str]:
    """The class as a whole word: not a BEM element (``__``) or modifier (``--``) of it."""
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


def hand_written(root: Path = TEMPLATES) -> list[str]:
    """Every hand-written root of a converted component: ``file:line: component``."""
    found = []
    patterns = {component: _root_class(cls) for component, cls in COMPONENTS.items()}
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            hits = {
                component
                for attr in CLASS_ATTR.finditer(line)
                for component, pattern in patterns.items()
                if pattern.search(attr.group(1))
            }
            hits |= {component for component, element in ELEMENTS.items() if element.search(line)}
            found += [
                f"{rel}:{number}: hand-written {component}"
                for component in sorted(hits)
                if (rel, component) not in ALLOWED
            ]
    return found


@pytest.mark.parametrize("component", sorted(COMPONENTS))
def test_component_comes_from_its_macro(component: str) -> None:
    lines = [f for f in hand_written() if f.endswith(f" {component}")]
    assert not lines, (
        f"use the design system's {component} macro "
        f"(nhsuk/components/{component}/macro.jinja) instead of hand-written markup:\n"
        + "\n".join(lines)
    )


def test_the_scan_finds_hand_written_markup(tmp_path: Path) -> None:
    """The scan itself: it names the file and line, and leaves elements and modifiers alone."""
    (tmp_path / "page.html").write_text(
        '<div class="nhsuk-card__content">\n'
        '<li class="nhsuk-card app-card">\n'
        "<span class='x nhsuk-tag'>\n"
        '<div class="nhsuk-button-group">\n'
        '<a class="nhsuk-button{% if x %} nhsuk-button--secondary{% endif %}">\n'
        '<details class="other"><summary>More</summary></details>\n'
        '<table class="app-figures"><caption class="nhsuk-table__caption">Figures</caption>\n'
        '<p class="nhsuk-hint">A hint</p><span class="nhsuk-u-secondary-text-colour">x</span>\n',
        encoding="utf-8",
    )
    assert hand_written(tmp_path) == [
        "page.html:2: hand-written card",
        "page.html:3: hand-written tag",
        "page.html:5: hand-written button",
        "page.html:6: hand-written details",
        "page.html:7: hand-written table",
        "page.html:8: hand-written hint",
    ]


def test_allow_list_names_real_templates() -> None:
    for rel, component in ALLOWED:
        assert (TEMPLATES / rel).is_file(), rel
        assert component in COMPONENTS, component
