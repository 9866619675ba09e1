"""Read a section page once and make any number of saves of it without reading it again.

A save must carry the fingerprint (``seen``) of the answers as the page showed them, or the
conflict check refuses it. Re-reading the page before every save would make a save benchmark
measure two requests; instead each save changes only the evidence comments to a fresh token and
the next ``seen`` is computed here, with the app's own fingerprint function, from what was sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from selfassess.assessments.drafts import Entry, encode_seen

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _CSRF.search(html)
    if found is None:
        raise RuntimeError("no csrf_token on the page")
    return found.group(1)


@dataclass
class SectionForm:
    """The answers a section page showed, and the state of the next save."""

    csrf: str
    seen: str
    values: dict[str, str] = field(default_factory=dict)  # question id -> shown value
    saves: int = 0

    @classmethod
    def parse(cls, html: str) -> SectionForm:
        page = BeautifulSoup(html, "html.parser")
        seen = page.find("input", attrs={"name": "seen"})
        if seen is None:
            raise RuntimeError("no seen field: not an editable section page")
        form = cls(csrf=csrf_token(html), seen=str(seen.get("value", "")))
        for box in page.select("form.section-form .question"):
            radios = box.select("input[type=radio]")
            if radios:
                name = str(radios[0]["name"])
                checked = [r for r in radios if r.has_attr("checked")]
                value = str(checked[0]["value"]) if checked else str(radios[0]["value"])
            else:
                element = box.select_one("input.input-number") or box.select_one(
                    "textarea.textarea"
                )
                if element is None:
                    continue
                name = str(element["name"])
                shown = element.get("value", "") if element.name == "input" else element.get_text()
                value = str(shown).strip() or ("50" if element.name == "input" else "Text")
            form.values[name[2:]] = value
        return form

    def next_save(self, tag: str) -> dict[str, str]:
        """The form data of the next save: every answer as shown, every comment a new token.

        Afterwards ``seen`` is what the server stores on success, so saves can follow each other
        without reading the page (a 409 means the computed fingerprint was wrong)."""
        self.saves += 1
        token = f"bench {tag} {self.saves}"
        data = {"csrf_token": self.csrf, "seen": self.seen, "action": "later"}
        for key, value in self.values.items():
            data[f"a_{key}"], data[f"c_{key}"] = value, token
        self.seen = encode_seen({k: Entry.of(v, token) for k, v in self.values.items()})
        return data
