"""Building the offline questionnaire workbook. Pure: openpyxl only, no Flask, no database.

One sheet per domain, one row per question: the answer goes in column C and the evidence in
column D, the only cells left unlocked; levels and yes/no get drop-down lists. A very hidden,
protected sheet records which assessment, trust, cycle and framework snapshot the workbook is for,
and a fingerprint of every answer as downloaded, so an upload can be checked against all of them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..exports.xlsx_cells import put_text

FORMAT = "selfassess-workbook-1"
META_SHEET = "_selfassess"
README_SHEET = "Read me"
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
CODE_COLUMN, ANSWER_COLUMN, COMMENT_COLUMN = "A", "C", "D"
HEADERS = (
    "Question",
    "Question text",
    "Your answer",
    "Evidence and comments (optional)",
    "How to answer",
    "Level descriptors",
    "Guidance",
    "Standard",
    "Required",
)
WIDTHS = (11, 50, 16, 50, 30, 60, 50, 50, 10)
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_INPUT_FILL = PatternFill("solid", fgColor="FFF7D6")
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Identity:
    """What a workbook belongs to; an upload must match the assessment it is sent to."""

    assessment_id: int
    trust_code: str
    cycle_id: int
    framework_hash: str


@dataclass(frozen=True)
class QuestionRow:
    """One question as the workbook shows it, with the answer stored now."""

    code: str
    text: str
    how: str
    descriptors: str
    guidance: str
    standard: str
    required: bool
    choices: tuple[str, ...] = ()
    value: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class DomainSheet:
    """One domain: its sheet is named by the domain code."""

    code: str
    name: str
    description: str
    rows: list[QuestionRow] = field(default_factory=list)


@dataclass(frozen=True)
class Cover:
    """Who and what the workbook is for, in words, for the first sheet."""

    trust: str
    alliance: str
    cycle: str
    framework: str
    closes: str
    scale: list[tuple[str, str]] = field(default_factory=list)
    notice: str | None = None  # a demo instance's "Demonstration data" line
    #: The evidence files attached online, as (question code, file name): listed for reference
    #: (files are attached on the question's page, not through the workbook).
    files: list[tuple[str, str]] = field(default_factory=list)


def sheet_title(code: str) -> str:
    """A domain code as a valid sheet title (31 characters, none of ``[]:*?/\\``)."""
    cleaned = "".join("-" if c in "[]:*?/\\" else c for c in code)[:31]
    return cleaned if cleaned not in (META_SHEET, README_SHEET) else f"{cleaned}-"


def build_workbook(
    identity: Identity,
    cover: Cover,
    domains: list[DomainSheet],
    fingerprints: dict[str, str],
    max_text: int,
) -> bytes:
    """The workbook as bytes (xlsx)."""
    book = Workbook()
    _write_readme(book.active, cover)
    for domain in domains:
        _write_domain(book.create_sheet(sheet_title(domain.code)), domain, cover, max_text)
    _write_meta(book.create_sheet(META_SHEET), identity, fingerprints)
    book.security = WorkbookProtection(lockStructure=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_readme(sheet: Worksheet, cover: Cover) -> None:
    sheet.title = README_SHEET
    lines = [
        (f"{cover.cycle} self-assessment", True),
        (f"{cover.trust} · {cover.alliance}", False),
        (f"Framework: {cover.framework}. Closes {cover.closes}.", False),
        *([(f"{cover.notice}.", True)] if cover.notice else []),
        ("", False),
        ("How to use this workbook", True),
        (
            "Each domain has its own sheet. Type or choose each answer in column C (the yellow "
            "cells) and your evidence in column D. Leave a cell empty to leave the question "
            "unanswered.",
            False,
        ),
        (
            "Do not rename sheets or change the question codes in column A: the upload uses them.",
            False,
        ),
        (
            "Upload the workbook on your self-assessment's page. Every cell is checked first; if "
            "any has a problem, nothing is saved and each problem is listed by sheet and cell.",
            False,
        ),
        (
            "If a colleague changes an answer online after you download this workbook, the upload "
            "keeps their answer where you left it alone, and stops if you both changed it.",
            False,
        ),
        ("", False),
        ("The maturity scale", True),
        *[(f"{level}: {label}", False) for level, label in cover.scale],
        ("", False),
        ("Evidence files attached online", True),
        *(
            [(f"{code}: {name}", False) for code, name in cover.files]
            or [("None yet. Attach files on each question's page online.", False)]
        ),
    ]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1)
        put_text(cell, text)
        cell.alignment = _WRAP
        if bold:
            cell.font = _BOLD
    sheet.column_dimensions["A"].width = 110
    sheet.protection.sheet = True


def _write_domain(sheet: Worksheet, domain: DomainSheet, cover: Cover, max_text: int) -> None:
    put_text(sheet["A1"], f"{domain.code} · {domain.name}")
    sheet["A1"].font = Font(bold=True, size=14)
    put_text(sheet["A2"], f"{cover.trust} · {cover.alliance} · {cover.cycle}")
    put_text(sheet["A3"], domain.description)
    for column, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column)
        put_text(cell, title)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _WRAP
        sheet.column_dimensions[cell.column_letter].width = width
    local: dict[tuple[str, ...], DataValidation] = {}
    comments = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(max_text),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Too long",
        error=f"Keep the evidence comment to {max_text} characters",
    )
    sheet.add_data_validation(comments)
    for row, question in enumerate(domain.rows, start=FIRST_ROW):
        values = (
            question.code,
            question.text,
            question.value,
            question.comment,
            question.how,
            question.descriptors,
            question.guidance,
            question.standard,
            "Yes" if question.required else "No",
        )
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column)
            put_text(cell, value)
            cell.alignment = _WRAP
        answer = sheet[f"{ANSWER_COLUMN}{row}"]
        comment = sheet[f"{COMMENT_COLUMN}{row}"]
        for cell in (answer, comment):
            cell.protection = Protection(locked=False)
            cell.fill = _INPUT_FILL
            cell.number_format = "@"  # text: "92.5%" stays as typed, never becomes 0.925
        comments.add(comment)
        if question.choices:
            if question.choices not in local:
                local[question.choices] = _choice_validation(question.choices)
                sheet.add_data_validation(local[question.choices])
            local[question.choices].add(answer)
    sheet.freeze_panes = f"{ANSWER_COLUMN}{FIRST_ROW}"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # people may still widen columns and rows
    sheet.protection.formatRows = False


def _choice_validation(choices: tuple[str, ...]) -> DataValidation:
    listed = ", ".join(choices)
    return DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Choose from the list",
        error=f"Choose one of: {listed}",
        showInputMessage=True,
        promptTitle="Your answer",
        prompt=f"Choose one of: {listed}",
    )


def _write_meta(sheet: Worksheet, identity: Identity, fingerprints: dict[str, str]) -> None:
    rows: list[tuple[str, object]] = [
        ("format", FORMAT),
        ("assessment_id", str(identity.assessment_id)),
        ("trust_code", identity.trust_code),
        ("cycle_id", str(identity.cycle_id)),
        ("framework_hash", identity.framework_hash),
        ("fingerprints", str(len(fingerprints))),
        *sorted(fingerprints.items()),
    ]
    for number, (key, value) in enumerate(rows, start=1):
        put_text(sheet.cell(row=number, column=1), key)
        put_text(sheet.cell(row=number, column=2), value)
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True
