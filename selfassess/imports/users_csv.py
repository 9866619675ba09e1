"""Reading a users CSV file. Pure: no Flask, no database.

Every problem is reported by line and column; a file with any problem is imported not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from .members_csv import read_table

COLUMNS = ("email", "name", "role", "trust code")
#: Roles a coordinator may give within their alliance, by what the file may say.
ROLES = {
    "coordinator": "coordinator",
    "buddying lead": "buddying_lead",
    "buddying_lead": "buddying_lead",
    "trust user": "trust_user",
    "trust_user": "trust_user",
}


@dataclass(frozen=True)
class UserLine:
    """One user to invite or give a role, as the file gives it."""

    line: int
    email: str
    name: str
    role: str
    trust_code: str | None


def parse_users(text: str) -> tuple[list[UserLine], list[str]]:
    """The users in ``text`` and every problem found (by line and column)."""
    rows, problem = read_table(text, COLUMNS, "users")
    if problem:
        return [], [problem]
    users: list[UserLine] = []
    problems: list[str] = []
    seen: dict[tuple[str, str, str | None], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            problems.append(f"Line {number}: expected {len(COLUMNS)} values, found {len(row)}")
            continue
        email, name, role_text, code = (cell.strip() for cell in row)
        found: list[str] = []
        try:
            email = validate_email(email, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            found.append(f"Line {number}, email: enter an email address, like name@nhs.net")
        if not name or len(name) > 200:
            found.append(f"Line {number}, name: enter the person's name (up to 200 characters)")
        role = ROLES.get(re.sub(r"\s+", " ", role_text.lower()))
        if role is None:
            found.append(f"Line {number}, role: enter coordinator, buddying lead or trust user")
        trust_code = code.upper() or None
        if role == "trust_user" and trust_code is None:
            found.append(f"Line {number}, trust code: a trust user needs their trust's code")
        elif role in ("coordinator", "buddying_lead") and trust_code is not None:
            found.append(f"Line {number}, trust code: leave it empty for a {role_text.strip()}")
        key = (email, role or "", trust_code)
        if not found and key in seen:
            found.append(f"Line {number}: the same person and role are on line {seen[key]}")
        seen.setdefault(key, number)
        if found:
            problems.extend(found)
        else:
            users.append(UserLine(number, email, name, role or "", trust_code))
    if not users and not problems:
        problems.append("The file has no users below its column names")
    return users, problems
