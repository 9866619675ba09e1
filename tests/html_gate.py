"""The HTML-validation gate (issue #16, point 6): every page the tests render must validate.

Loaded for every test run (``pytest_plugins`` in ``tests/conftest.py``). Each HTML response the
Flask test client returns with a status of 200 or 4xx is looked at. Pages are kept once per
markup shape (``tests/html_shape.py``: the page without its data; same shape, same verdict), in
a folder shared by the whole run; under pytest-xdist each worker writes into the folder the
controller made, and a shape another worker kept is not written twice. So every page rendered
is either validated or has the shape of a page that was. At the end of the run the controller
runs ``html-validate`` over the folder (one process per CPU, at most four) with the checked-in
``.htmlvalidate.json`` and fails the run (exit status 1) listing each error's file, rule and the
first URL (and test) that produced the page.

Every distinct page is also held to our own rules for its error state (``error_state_problems``):
a field showing an error needs the page's error summary, and the summary goes with a title
starting "Error: " (both ways). These are listed as ``(page rule)`` problems.

The validator comes from the npm registry (``package.json``); when ``node_modules`` is missing
the run fails and says to run ``make assets``. A run that rendered no pages (say, only the
scoring tests) has nothing to validate and needs no validator.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from tests.html_shape import shape_key

ROOT = Path(__file__).resolve().parents[1]
VALIDATOR = ROOT / "node_modules" / ".bin" / "html-validate"
CONFIG = ROOT / ".htmlvalidate.json"
SHOWN = 200  # errors listed in the report; the failing pages are kept for the rest
FOLDER_KEY = "selfassess_html_gate_folder"
MISSING = (
    "HTML-validation gate: {validator} is missing: run make assets "
    "(it installs html-validate from package-lock.json into node_modules/)"
)

# Parts of a page that differ on every render without changing its markup: hidden inputs'
# values (CSRF tokens, sealed drafts) and script nonces.
_HIDDEN_INPUT = re.compile(r'<input\b[^>]*type="hidden"[^>]*>')
_VALUE = re.compile(r'value="[^"]*"')
_NONCE = re.compile(r'nonce="[^"]*"')


def normalised(body: str) -> str:
    """The page with its per-render values (CSRF tokens, sealed drafts, nonces) blanked."""
    body = _HIDDEN_INPUT.sub(lambda m: _VALUE.sub('value=""', m.group(0)), body)
    return _NONCE.sub('nonce=""', body)


# Our own rules for a page's error state, which html-validate cannot know: the design system
# asks that a page showing an error shows the error summary (focused on load, linking to each
# field) and starts its title with "Error: " (read first by a screen reader).
_SUMMARY = 'data-module="nhsuk-error-summary"'
_FIELD_ERROR = re.compile(r'class="[^"]*\bnhsuk-(?:error-message|form-group--error)\b')
_ERROR_TITLE = re.compile(r"<title>\s*Error: ")


def error_state_problems(body: str) -> list[str]:
    """What is wrong with the page's error state: ``rule: message`` lines, none when right."""
    summary = _SUMMARY in body
    titled = bool(_ERROR_TITLE.search(body))
    found = []
    if _FIELD_ERROR.search(body) and not summary:
        found.append(
            "error-without-summary: a field shows an error but the page has no error summary"
        )
    if summary and not titled:
        found.append(
            'error-title: the page shows an error summary but its title does not start "Error: "'
        )
    if titled and not summary:
        found.append('error-title: the title starts "Error: " but the page shows no error summary')
    return found


def page_key(body: str) -> str:
    return hashlib.sha256(normalised(body).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Problem:
    """One validation error: the page file, the rule, where, what, and who rendered the page."""

    file: str
    rule: str
    line: int
    column: int
    message: str
    url: str
    test: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}:{self.column} {self.rule}: {self.message}\n"
            f"    first rendered at {self.url} by {self.test}"
        )


class Recorder:
    """Keeps one page of each markup shape in ``folder``, with a manifest line naming its first
    URL. A page rendered again (same markup once CSRF tokens and nonces are blanked) is
    recognised by its hash before its shape is worked out (about 8 ms a page)."""

    def __init__(self, folder: Path, worker: str) -> None:
        self.folder = folder
        self.manifest = folder / f"manifest-{worker}.jsonl"
        self.rules = folder / f"rules-{worker}.jsonl"
        self.seen: set[str] = set()
        self.shapes: set[str] = set()
        self.rendered = 0
        self.test = ""

    def record(self, url: str, status: int, body: str) -> None:
        self.rendered += 1
        key = page_key(body)
        if key in self.seen:
            return
        self.seen.add(key)
        broken = error_state_problems(body)
        if broken:
            with self.rules.open("a", encoding="utf-8") as out:
                for problem in broken:
                    out.write(json.dumps({"problem": problem, "url": url, "test": self.test}))
                    out.write("\n")
        shape = shape_key(body)
        if shape in self.shapes:
            return
        self.shapes.add(shape)
        path = self.folder / f"{shape}.html"
        if path.exists():  # another worker kept this shape first
            return
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(body, encoding="utf-8")
        temporary.replace(path)
        with self.manifest.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"key": shape, "url": url, "status": status, "test": self.test}))
            out.write("\n")

    def write_counts(self) -> None:
        counts = {"rendered": self.rendered, "distinct": len(self.seen)}
        (self.folder / self.manifest.name.replace("manifest-", "counts-")).write_text(
            json.dumps(counts), encoding="utf-8"
        )


_recorder: Recorder | None = None
_original_open = Client.open


def _recording_open(self: Client, *args: Any, **kwargs: Any) -> Any:
    response = _original_open(self, *args, **kwargs)
    recorder = _recorder
    if recorder is not None:
        _maybe_record(recorder, response)
    return response


def _maybe_record(recorder: Recorder, response: Any) -> None:
    status = response.status_code
    if not (status == 200 or 400 <= status < 500):
        return
    if response.mimetype != "text/html":
        return
    if "attachment" in response.headers.get("Content-Disposition", ""):
        return
    if response.headers.get("Content-Encoding"):  # compressed (tests of compression): not text
        return
    body = response.get_data(as_text=True)
    if not body.strip():
        return
    request = getattr(response, "request", None)
    url = request.url if request is not None else "?"
    method = request.method if request is not None else "GET"
    recorder.record(f"{method} {url} -> {status}", status, body)


def validate(folder: Path, validator: Path = VALIDATOR, config: Path = CONFIG) -> list[Problem]:
    """Run html-validate over every page in ``folder``; return its errors.

    The pages are shared out over one validator process per CPU (at most four), started
    together. Raises ``RuntimeError`` (saying to run ``make assets``) when the validator is
    missing, and when it fails without a report.
    """
    pages = sorted(p.name for p in folder.glob("*.html"))
    if not pages:
        return []
    if not validator.exists():
        raise RuntimeError(MISSING.format(validator=validator))
    first = _first_renders(folder)
    shares = max(1, min(os.cpu_count() or 1, 4, len(pages)))
    running = []
    for n in range(shares):
        report_file = folder / f"report-{n}.json.out"
        report_file.unlink(missing_ok=True)
        command = [str(validator), "--config", str(config), f"--formatter=json={report_file}"]
        # The report goes to a file: Node exits before a large report is all through a pipe.
        process = subprocess.Popen(
            command + pages[n::shares],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        running.append((process, report_file))
    reports = []
    for process, report_file in running:
        output, _ = process.communicate()
        if process.returncode not in (0, 1) or not report_file.exists():
            raise RuntimeError(f"html-validate failed (exit {process.returncode}): {output}")
        reports += json.loads(report_file.read_text(encoding="utf-8") or "[]")
    problems = []
    for report in reports:
        name = Path(report["filePath"]).name
        url, test = first.get(name.removesuffix(".html"), ("?", "?"))
        for message in report["messages"]:
            if message.get("severity") != 2:
                continue
            problems.append(
                Problem(
                    file=name,
                    rule=message.get("ruleId", "?"),
                    line=message.get("line", 0),
                    column=message.get("column", 0),
                    message=message.get("message", ""),
                    url=url,
                    test=test,
                )
            )
    return sorted(problems, key=lambda p: (p.rule, p.file, p.line, p.column))


def rule_problems(folder: Path) -> list[Problem]:
    """The pages that broke our own page rules, once per rule and URL path."""
    problems = {}
    for rules in sorted(folder.glob("rules-*.jsonl")):
        for line in rules.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            rule, message = entry["problem"].split(": ", 1)
            where = entry["url"].split("?", 1)[0]
            problems.setdefault(
                (rule, where),
                Problem("(page rule)", rule, 0, 0, message, entry["url"], entry["test"]),
            )
    return sorted(problems.values(), key=lambda p: (p.rule, p.url))


def _first_renders(folder: Path) -> dict[str, tuple[str, str]]:
    first: dict[str, tuple[str, str]] = {}
    for manifest in sorted(folder.glob("manifest-*.jsonl")):
        for line in manifest.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            first.setdefault(entry["key"], (entry["url"], entry["test"]))
    return first


# --- pytest hooks ------------------------------------------------------------------------------


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    global _recorder
    if _is_worker(config):
        folder = Path(config.workerinput[FOLDER_KEY])  # type: ignore[attr-defined]
        worker = config.workerinput.get("workerid", "gw")  # type: ignore[attr-defined]
    else:
        folder = Path(tempfile.mkdtemp(prefix="selfassess-html-gate-"))
        config.stash[_folder_key] = folder
        worker = "main"
    _recorder = Recorder(folder, worker)
    Client.open = _recording_open  # type: ignore[method-assign]


_folder_key = pytest.StashKey[Path]()
_problems_key = pytest.StashKey[list[str]]()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist (controller): tell each worker where to write its pages."""
    node.workerinput[FOLDER_KEY] = str(node.config.stash[_folder_key])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):  # type: ignore[no-untyped-def]
    if _recorder is not None:
        _recorder.test = item.nodeid
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item):  # type: ignore[no-untyped-def]
    if _recorder is not None:
        _recorder.test = item.nodeid
    yield


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if _recorder is not None:
        _recorder.write_counts()
    if _is_worker(config):
        return
    folder = config.stash.get(_folder_key, None)
    if folder is None:
        return
    try:
        pages = len(list(folder.glob("*.html")))
        rendered = distinct = 0
        for counts in folder.glob("counts-*"):
            found = json.loads(counts.read_text(encoding="utf-8"))
            rendered += found["rendered"]
            distinct += found["distinct"]
        tally = f"{rendered} HTML responses, {distinct} distinct, {pages} shapes validated"
        try:
            problems = rule_problems(folder) + validate(folder)
        except RuntimeError as error:
            config.stash[_problems_key] = [f"HTML-validation gate could not run: {error}"]
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
            return
        if problems:
            keep = Path(tempfile.mkdtemp(prefix="selfassess-html-gate-failed-"))
            for name in {p.file for p in problems if (folder / p.file).exists()}:
                shutil.copy(folder / name, keep / name)
            lines = [f"HTML-validation gate: {len(problems)} errors ({tally}; pages in {keep}):"]
            lines += [str(p) for p in problems[:SHOWN]]
            if len(problems) > SHOWN:
                lines.append(f"... and {len(problems) - SHOWN} more (the pages are in {keep})")
            config.stash[_problems_key] = lines
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        else:
            config.stash[_problems_key] = [f"HTML-validation gate: 0 errors ({tally})"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    lines = config.stash.get(_problems_key, None)
    if not lines:
        return
    failed = len(lines) > 1 or "could not run" in lines[0]
    terminalreporter.section("HTML validation", red=failed, green=not failed, bold=True)
    for line in lines:
        terminalreporter.line(line)
