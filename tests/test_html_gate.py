"""The HTML-validation gate itself (tests/html_gate.py) catches a broken page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import html_gate

BROKEN = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Broken</title></head>
<body>
<main>
  <h1 id="twice">Broken</h1>
  <p id="twice">A paragraph <div>with a block inside</div></p>
  <ul><li>one</li><span>not a list item</span></ul>
  <input type="text" name="nameless">
</main>
</body>
</html>
"""

GOOD = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Fine</title></head>
<body><main><h1>Fine</h1><p>All well.</p></main></body>
</html>
"""


def test_a_broken_page_is_reported_with_its_rules_and_first_url(tmp_path: Path) -> None:
    recorder = html_gate.Recorder(tmp_path, "gw9")
    recorder.test = "tests/test_example.py::test_broken"
    recorder.record("GET http://localhost/broken -> 200", 200, BROKEN)
    recorder.record("GET http://localhost/fine -> 200", 200, GOOD)

    problems = html_gate.validate(tmp_path)

    rules = {p.rule for p in problems}
    assert {"no-dup-id", "element-permitted-content"} <= rules, rules
    assert {p.url for p in problems} == {"GET http://localhost/broken -> 200"}
    assert {p.test for p in problems} == {"tests/test_example.py::test_broken"}
    assert "no-dup-id" in "\n".join(map(str, problems))


def test_the_same_page_rendered_twice_is_kept_once(tmp_path: Path) -> None:
    recorder = html_gate.Recorder(tmp_path, "gw9")
    page = GOOD.replace("</main>", '<input type="hidden" name="csrf_token" value="{}"></main>')
    recorder.record("GET /a -> 200", 200, page.format("token-one"))
    recorder.record("GET /a -> 200", 200, page.format("token-two"))
    recorder.record("GET /b -> 200", 200, BROKEN)
    assert len(list(tmp_path.glob("*.html"))) == 2
    lines = (tmp_path / "manifest-gw9.jsonl").read_text().splitlines()
    assert [json.loads(line)["url"] for line in lines] == ["GET /a -> 200", "GET /b -> 200"]


TABLE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1><table><caption>Scores</caption><tbody>{rows}</tbody></table>
{extra}</main></body>
</html>
"""
ROW = '<tr><th scope="row" id="m-{n}">{name}</th><td>{score}</td></tr>'


def _table(title: str, members: list[tuple[str, str]], extra: str = "") -> str:
    rows = "".join(
        ROW.format(n=n, name=name, score=score) for n, (name, score) in enumerate(members)
    )
    return TABLE.format(title=title, rows=rows, extra=extra)


def test_pages_differing_only_in_data_are_validated_once_and_others_each(tmp_path: Path) -> None:
    """One page of each shape is kept: other names, figures and more rows are the same
    shape; a repeated id, a label for a missing field or a raw ampersand are not."""
    recorder = html_gate.Recorder(tmp_path, "gw9")
    recorder.record("GET /1 -> 200", 200, _table("North", [("Leeds", "3.1"), ("York", "2.0")]))
    recorder.record("GET /2 -> 200", 200, _table("South &amp; West", [("Bath", "1")] * 5))
    assert len(list(tmp_path.glob("*.html"))) == 1
    twice = _table("North", [("Leeds", "3.1")]).replace("</table>", '</table><p id="m-0">x</p>')
    dangling = _table("North", [("Leeds", "3.1")], '<label for="nowhere">Name</label>')
    raw = _table("North & South", [("Leeds", "3.1")])
    for n, body in enumerate((twice, dangling, raw)):
        recorder.record(f"GET /odd{n} -> 200", 200, body)
    assert len(list(tmp_path.glob("*.html"))) == 4
    rules = {p.rule for p in html_gate.validate(tmp_path)}
    assert "no-dup-id" in rules and "no-raw-characters" in rules, rules


def test_a_missing_validator_says_to_run_make_assets(tmp_path: Path) -> None:
    html_gate.Recorder(tmp_path, "gw9").record("GET /b -> 200", 200, BROKEN)
    with pytest.raises(RuntimeError, match="run make assets"):
        html_gate.validate(tmp_path, validator=tmp_path / "node_modules/.bin/html-validate")


def test_a_run_that_renders_a_broken_page_fails(tmp_path: Path) -> None:
    """End to end: a test run whose Flask app returns a broken page exits non-zero, naming the
    rule and the URL, although its one test passed."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_renders_broken.py").write_text(
        "from flask import Flask\n"
        f"BROKEN = {BROKEN!r}\n"
        "def test_renders() -> None:\n"
        "    app = Flask(__name__)\n"
        "    app.add_url_rule('/broken', 'broken', lambda: BROKEN)\n"
        "    assert app.test_client().get('/broken').status_code == 200\n"
    )
    root = Path(html_gate.__file__).resolve().parents[1]
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.html_gate",
            "-p",
            "no:cacheprovider",
            "-c",
            str(tmp_path / "pytest.ini"),
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "test_renders_broken.py"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    assert "no-dup-id" in run.stdout
    assert "GET http://localhost/broken -> 200" in run.stdout


# -- our own rules for a page's error state ----------------------------------------------------
SUMMARY = (
    '<div class="nhsuk-error-summary" data-module="nhsuk-error-summary">There is a problem</div>'
)
FIELD_ERROR = '<span class="nhsuk-error-message" id="name-error">Enter a name</span>'


def _page(title: str, body: str) -> str:
    return GOOD.replace("<title>Fine</title>", f"<title>{title}</title>").replace(
        "<p>All well.</p>", body
    )


@pytest.mark.parametrize(
    ("title", "body", "rule"),
    [
        ("Form", FIELD_ERROR, "error-without-summary"),
        ("Form", SUMMARY + FIELD_ERROR, "error-title"),
        ("Error: Form", "<p>Nothing wrong here.</p>", "error-title"),
    ],
    ids=["field-error-without-summary", "summary-without-error-title", "error-title-no-summary"],
)
def test_a_page_whose_error_state_is_incomplete_is_reported(
    tmp_path: Path, title: str, body: str, rule: str
) -> None:
    recorder = html_gate.Recorder(tmp_path, "gw9")
    recorder.test = "tests/test_example.py::test_error"
    recorder.record("POST http://localhost/form?x=1 -> 400", 400, _page(title, body))
    recorder.record("POST http://localhost/form?x=2 -> 400", 400, _page(title, body + "<p>2</p>"))

    problems = html_gate.rule_problems(tmp_path)

    assert [(p.rule, p.url, p.test) for p in problems] == [
        (rule, "POST http://localhost/form?x=1 -> 400", "tests/test_example.py::test_error")
    ]


def test_a_page_with_its_error_state_complete_breaks_no_rule() -> None:
    assert html_gate.error_state_problems(_page("Error: Form", SUMMARY + FIELD_ERROR)) == []
    assert html_gate.error_state_problems(GOOD) == []
