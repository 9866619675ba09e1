"""Property-based fuzzing of every form and URL: never a 500, hostile text always escaped.

Hypothesis sends arbitrary text (control characters, odd Unicode, very long strings, script tags,
quotes, SQL-ish strings) to every field of every POST form, with a valid CSRF token so that only
the app's own handling is tested, and builds URLs for every route in ``app.url_map`` from
arbitrary path values and query strings, signed in as a user holding every role and signed out.

Properties checked on every response:
* the status is one the route may give (never a 5xx);
* no markup was injected: no inline script, no ``on*`` attribute, no svg/iframe, no ``<img
  src=x>``, and a hostile payload that was sent never comes back raw (its escaped form may);
* a value a form echoes back comes back exactly, HTML-escaped; a password never comes back;
* a redirect never leaves the site.

NUL and out-of-range integers are fuzzed in their own tests, so that a failure of one kind does
not hide every other finding of the general tests.
"""

from __future__ import annotations

import itertools
import json
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select
from werkzeug.http import parse_options_header
from werkzeug.routing import IntegerConverter, Rule
from werkzeug.security import generate_password_hash

from selfassess.auth import tokens
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Assessment,
    BuddyPair,
    Cycle,
    FrameworkSnapshot,
    Membership,
    OutboxEmail,
    RoleGrant,
    RoleInvitation,
    Trust,
    User,
)
from tests.conftest import FAST_HASH, TEST_PASSWORD, build_app, csrf_token


def fuzz_settings(examples: int) -> Callable[[Any], Any]:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


# Strategies

HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><iframe src=javascript:alert(1)></iframe>",
    '" autofocus onfocus="alert(1)',
    "' onmouseover='alert(1)",
    "</textarea></title><script>alert(1)</script>",
)
SQLISH = (
    "' OR '1'='1",
    "' OR 1=1 --",
    "'; DROP TABLE user_account; --",
    '" OR ""="',
    "admin'--",
    "1; SELECT pg_sleep(5) --",
    "%' AND 1=1 --",
    "\\'; --",
    "1 UNION SELECT password_hash FROM user_account",
)
ODD = (
    "\u202eevil\u202c",  # right-to-left override
    "\ufeff\u200b\u200d",  # BOM, zero-width characters
    "\u03a9\u2248\u00e7\u221a\u222b \U0001f600 \ufdfd "  # symbols, emoji, a wide ligature
    "\U0001d573\U0001d58a\U0001d591\U0001d591\U0001d594",  # mathematical letters
    "İ ẞ ﬀ ǅ Σ",  # characters whose case mapping changes their length
    "\r\n\r\nSet-Cookie: x=1",
    "\x07\x08\x0b\x0c\x1b[31m\x7f\x85\x9f",
    "{{7*7}} ${7*7} {% raw %} #{7*7}",
    "%00 %s %n %x ../../etc/passwd",
    "&amp; &lt; &#39; &#x3C;",
)
SPECIAL = HOSTILE + SQLISH + ODD

# Every code point but surrogates (which cannot be encoded) and NUL (fuzzed on its own below).
_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
plain = st.text(_chars, max_size=40)


def _repeat(piece: str, length: int) -> str:
    return (piece * (length // len(piece) + 1))[:length]


long_text = st.builds(
    _repeat,
    st.sampled_from(SPECIAL) | plain.filter(bool),
    st.integers(min_value=255, max_value=5000),
)
mixed = st.builds(lambda a, b, c: a + b + c, plain, st.sampled_from(SPECIAL), plain)
# Valid-looking addresses whose local part holds the characters HTML cares about (' and &).
odd_emails = st.builds(
    lambda local: f"{local}@example.nhs.uk",
    st.text("abc'&{}=/?#|~!$%*+^`-_", min_size=1, max_size=30),
)
fuzz_text = st.one_of(plain, mixed, st.sampled_from(SPECIAL), long_text, st.emails(), odd_emails)
short_fuzz = st.one_of(plain, mixed, st.sampled_from(SPECIAL))
with_nul = st.builds(lambda a, b: f"{a}\x00{b}", plain, st.sampled_from(("", *SPECIAL)))

# Ids the id columns can hold on both databases (32-bit on PostgreSQL, 64-bit on SQLite);
# larger ones have their own test.
ids = st.integers(min_value=0, max_value=2**31 - 1)
huge_ids = st.integers(min_value=2**31, max_value=2**80)


# Response checks

ALLOWED = {200, 301, 302, 303, 307, 308, 400, 403, 404, 405, 429}
#: The API answers a request without a token with 401 (no sign-in page), and a type it cannot
#: give with 406.
API_ALLOWED = ALLOWED | {401, 406}


def allowed_for(path: str) -> set[int]:
    return API_ALLOWED if path.startswith("/api/") else ALLOWED


_INJECTED_TAGS = ("svg", "iframe", "object", "embed")


def check_page(response: Any, *sent: str | None) -> None:
    """Fail if markup was injected or any hostile payload in ``sent`` came back unescaped."""
    body = response.get_data().decode("utf-8", "replace")  # downloads may be binary (xlsx, pdf)
    for payload in HOSTILE:
        if any(value and payload in value for value in sent):
            assert payload not in body, f"unescaped {payload!r} in the page"
    if response.mimetype != "text/html":
        return
    soup = BeautifulSoup(body, "html.parser")
    for tag in soup.find_all(True):
        handlers = [a for a in tag.attrs if a.lower().startswith("on")]
        assert not handlers, f"injected attribute {handlers} on <{tag.name}>"
        # The design system draws its logo and icons as inline SVG, each with its own class
        # (none of the hostile payloads carries one).
        designed = tag.name == "svg" and any(
            c in ("nhsuk-header__logo", "nhsuk-icon") for c in tag.get("class", [])
        )
        assert designed or tag.name not in _INJECTED_TAGS, f"injected <{tag.name}>"
        assert not (tag.name == "img" and tag.get("src") == "x"), "injected <img src=x>"
        if tag.name == "script" and tag.get("type") == "application/json":
            # Chart data: inert, and written with |tojson, so it must parse and hold no raw "<"
            # (which is how a name in the data could end the element early).
            data = tag.get_text()
            assert "<" not in data, "raw '<' inside a JSON data block"
            json.loads(data)
        elif tag.name == "script" and tag.get("nonce"):
            # The design system's page template: its one inline script, exactly as published,
            # under this response's own nonce. Anything else inline is an injection.
            policy = response.headers.get("Content-Security-Policy", "")
            assert f"'nonce-{tag['nonce']}'" in policy, "a nonce the policy does not name"
            assert tag.get_text() == PAGE_TEMPLATE_SCRIPT, "inline script in the page"
        elif tag.name == "script":
            assert tag.get("src") and not tag.get_text().strip(), "inline script in the page"


#: The one inline script of nhsuk-frontend-jinja's page template (it marks that JavaScript runs).
PAGE_TEMPLATE_SCRIPT = (
    "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype"
    " ? ' nhsuk-frontend-supported' : '');"
)


def check_echoed(response: Any, value: str) -> None:
    """The value a form sent comes back exactly, HTML-escaped."""
    assert str(escape(value)) in response.get_data(as_text=True), (
        f"{value[:80]!r} was not echoed back escaped"
    )


def check_password_not_echoed(response: Any) -> None:
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    for field_ in soup.find_all("input", attrs={"type": "password"}):
        assert not field_.get("value"), f"password field {field_.get('name')} echoes its value"


_STRIPPED = re.compile(r"[\t\n\r]")


def check_same_site(location: str) -> None:
    """A redirect target stays on this site, read as a browser would read it."""
    seen = _STRIPPED.sub("", location).lstrip("".join(chr(c) for c in range(0x21)))
    parts = urlsplit(seen)
    if parts.netloc:
        assert parts.netloc == "localhost" and parts.scheme in ("http", "https"), location
    else:
        assert not parts.scheme, location
        assert seen.startswith("/") and not seen.startswith(("//", "/\\")), location


def check_status(response: Any, allowed: set[int], what: str) -> None:
    event(f"status {response.status_code}")  # see --hypothesis-show-statistics
    assert response.status_code in allowed, f"{what}: status {response.status_code}"
    if response.status_code in (301, 302, 303, 307, 308):
        check_same_site(response.headers["Location"])


def send(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Make one request as a real server would see it, then end its transaction.

    An exception escaping the app's own error handlers fails the test: behind a real server
    it means a bare "Internal Server Error" with no error page and no request id. Test requests
    share one app context (and so one session), so the transaction is rolled back afterwards
    as the end of a real request would; otherwise one failed statement on PostgreSQL would
    poison every later request in the test.
    """
    try:
        response = call(*args, **kwargs)
    except Exception as error:
        db.session.rollback()
        pytest.fail(
            f"{args[0] if args else call}: an exception escaped the app's error "
            f"handlers (a bare 500 behind a real server): {error!r}"[:1500]
        )
    response.get_data()  # buffered, so the response (a static file, say) can be closed now
    response.close()
    db.session.rollback()
    return response


# Fixtures

_seq = itertools.count(1)
LINK = re.compile(r"https?://[^/\s]+(/(?:auth/reset-password|invitations)/\S+)")


def sign_in(client: FlaskClient, email: str, password: str = TEST_PASSWORD) -> Any:
    token = csrf_token(client.get("/auth/sign-in").text)
    return client.post(
        "/auth/sign-in", data={"email": email, "password": password, "csrf_token": token}
    )


def last_link(recipient: str) -> str:
    db.session.expire_all()
    body = db.session.scalars(
        select(OutboxEmail.body)
        .where(OutboxEmail.recipient == recipient)
        .order_by(OutboxEmail.id.desc())
    ).first()
    assert body, f"no email to {recipient}"
    match = LINK.search(body)
    assert match, body
    return match.group(1)


class LinkSource:
    """Real links from the outbox; a fresh one whenever the last was used up."""

    def __init__(self, fetch: Callable[[], str]) -> None:
        self._fetch = fetch
        self.link: str | None = None

    def get(self) -> str:
        if self.link is None:
            self.link = self._fetch()
        return self.link


@dataclass
class World:
    """Alliance X with member trusts A and B, a cycle, an assessment and a buddying pair.

    ``everything`` holds every role (site admin, coordinator and buddying lead of X, trust user
    of A); ``member`` is an ordinary trust user; ``invitee`` has no password yet.
    """

    app: Flask
    alliance: Alliance
    trust_a: Trust
    trust_b: Trust
    cycle: Cycle
    assessment: Assessment
    pair: BuddyPair
    everything: User
    member: User
    invitee: User
    clients: dict[str, FlaskClient] = field(default_factory=dict)
    links: dict[str, LinkSource] = field(default_factory=dict)

    def client(self, who: str) -> FlaskClient:
        """A client signed in as ``who`` ("everything", "member"), or signed out ("anonymous")."""
        if who not in self.clients:
            client = self.app.test_client()
            if who != "anonymous":
                user = getattr(self, who)
                assert send(sign_in, client, user.email).status_code == 302
            self.clients[who] = client
        return self.clients[who]

    def token(self, who: str) -> str:
        """A fresh CSRF token for ``who``'s session."""
        page = "/admin/" if who == "everything" else "/auth/forgot-password"
        return csrf_token(send(self.client(who).get, page).text)

    @property
    def user_ids(self) -> list[int]:
        return [self.everything.id, self.member.id, self.invitee.id]


def build_world(app: Flask, **names: str) -> World:
    """Store a world whose names (alliance, trust, trust_b, cycle, user, comment, standard)
    default to plain ones."""
    try:
        return _build_world(app, names)
    except BaseException:
        db.session.rollback()
        raise


def _build_world(app: Flask, names: dict[str, str]) -> World:
    n = next(_seq)
    alliance = Alliance(
        slug=f"fuzz-x-{n}",
        name=names.get("alliance", f"Alliance X {n}"),
        collaboration_type="multi_service",
    )
    trust_a = Trust(
        code=f"FA{n}", name=names.get("trust", f"Trust A {n}"), trust_type="Acute", region="London"
    )
    trust_b = Trust(
        code=f"FB{n}",
        name=names.get("trust_b", f"Trust B {n}"),
        trust_type="Acute",
        region="London",
    )
    snapshot = FrameworkSnapshot(
        framework_key=f"fuzz-{n}",
        version="1",
        title="Fuzz framework",
        content_hash=f"{n:064x}",
        scale=[],
    )
    db.session.add_all([alliance, trust_a, trust_b, snapshot])
    db.session.flush()
    m_a, m_b = (
        Membership(
            alliance_id=alliance.id,
            trust_id=t.id,
            collaboration_type="multi_service",
            joined_on=date(2024, 4, 1),
        )
        for t in (trust_a, trust_b)
    )
    cycle = Cycle(
        alliance_id=alliance.id,
        name=names.get("cycle", "2025/26"),
        snapshot_id=snapshot.id,
        state="open",
        opens_on=date(2025, 4, 1),
        closes_on=date(2025, 6, 30),
    )
    db.session.add_all([m_a, m_b, cycle])
    db.session.flush()
    assessment = Assessment(
        cycle_id=cycle.id,
        membership_id=m_a.id,
        state="returned",
        return_comment=names.get("comment", "Please check section 2."),
    )
    pair = BuddyPair(
        alliance_id=alliance.id,
        mentor_membership_id=m_b.id,
        mentee_membership_id=m_a.id,
        cycle_id=cycle.id,
        focus_standards=[names.get("standard", "S1.1")],
        start_date=date(2025, 5, 1),
        status="active",
    )
    hashed = generate_password_hash(TEST_PASSWORD, method=FAST_HASH)
    everything = User(
        email=f"everything{n}@example.nhs.uk",
        name=names.get("user", f"Every Role {n}"),
        password_hash=hashed,
    )
    everything.grants.extend(
        [
            RoleGrant(role="site_admin"),
            RoleGrant(role="coordinator", alliance_id=alliance.id),
            RoleGrant(role="buddying_lead", alliance_id=alliance.id),
            RoleGrant(role="trust_user", alliance_id=alliance.id, trust_id=trust_a.id),
        ]
    )
    member = User(email=f"member{n}@example.nhs.uk", name=f"Member {n}", password_hash=hashed)
    member.grants.append(RoleGrant(role="trust_user", alliance_id=alliance.id, trust_id=trust_a.id))
    invitee = User(email=f"invitee{n}@example.nhs.uk", name=f"Invitee {n}")
    invitee.grants.append(
        RoleGrant(role="trust_user", alliance_id=alliance.id, trust_id=trust_a.id)
    )
    db.session.add_all([assessment, pair, everything, member, invitee])
    db.session.commit()
    return World(
        app=app,
        alliance=alliance,
        trust_a=trust_a,
        trust_b=trust_b,
        cycle=cycle,
        assessment=assessment,
        pair=pair,
        everything=everything,
        member=member,
        invitee=invitee,
    )


@pytest.fixture
def relaxed(app: Flask) -> Iterator[Flask]:
    """The app on the same database with sign-in and reset-email limits out of the way."""
    other = build_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        SIGN_IN_LIMIT_PER_ADDRESS="100000/minute",
        SIGN_IN_LIMIT_PER_ACCOUNT="100000/minute",
        PASSWORD_RESET_LIMIT_PER_ACCOUNT="100000/minute",
    )
    with other.app_context():
        yield other
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


@pytest.fixture
def relaxed_world(relaxed: Flask) -> World:
    return build_world(relaxed)


# 1. Every POST form, every field, arbitrary text

# Stand-ins for the member's real email (as typed, shouted, padded) and password.
KNOWN_EMAILS = ("<email>", "<EMAIL>", "<  email\t>")
KNOWN_PASSWORD = "<password>"
known_email = st.sampled_from(KNOWN_EMAILS)


def _known(world: World, value: str) -> str:
    email = world.member.email
    return {
        "<email>": email,
        "<EMAIL>": email.upper(),
        "<  email\t>": f"  {email}\t",
        KNOWN_PASSWORD: TEST_PASSWORD,
    }.get(value, value)


junk_fields = st.dictionaries(
    st.sampled_from(["role", "next", "id", "is_admin", "user_id"]), short_fuzz, max_size=2
)


@fuzz_settings(150)
@given(
    credentials=st.tuples(fuzz_text | known_email, fuzz_text | st.just(KNOWN_PASSWORD))
    | st.tuples(known_email, st.just(KNOWN_PASSWORD)),
    next_=st.none()
    | fuzz_text
    | st.sampled_from(
        [
            "//evil.example",
            "/\t/evil.example",
            "https://evil.example/",
            "/\\evil.example",
            "\x01//evil.example",
            "/home",
        ]
    ),
    junk=junk_fields,
)
def test_sign_in_form(relaxed_world, credentials, next_, junk):
    world = relaxed_world
    email, password = (_known(world, value) for value in credentials)
    client = world.app.test_client()
    token = csrf_token(send(client.get, "/auth/sign-in").text)
    response = send(
        client.post,
        "/auth/sign-in",
        query_string=urlencode({"next": next_}) if next_ is not None else "",
        data={**junk, "email": email, "password": password, "csrf_token": token},
    )

    check_status(response, {200, 302, 429}, "sign-in")
    check_page(response, email, password, next_, *junk.values())
    if response.status_code == 302:
        # Only the right password for a real account signs in, whatever else was sent.
        assert email.strip().lower() == world.member.email and password == TEST_PASSWORD
        if next_ is None:
            assert response.headers["Location"] == "/home"
    else:
        check_echoed(response, email)
        check_password_not_echoed(response)


@fuzz_settings(100)
@given(email=fuzz_text | known_email, junk=junk_fields)
def test_forgot_password_form(world, email, junk):
    email = _known(world, email)
    client = world.app.test_client()
    token = csrf_token(send(client.get, "/auth/forgot-password").text)
    response = send(
        client.post, "/auth/forgot-password", data={**junk, "email": email, "csrf_token": token}
    )
    check_status(response, {200}, "forgot-password")
    check_page(response, email, *junk.values())
    check_echoed(response, email)


passwords = st.one_of(
    fuzz_text,
    st.sampled_from(["purple kettle marching slowly", "password123", "  leading and trailing  "]),
)


def _fuzz_choose_password(
    world: World,
    links: LinkSource,
    password: str,
    confirm: str | None,
    junk: dict[str, str],
    *,
    shows: str | None = None,
    extra: dict[str, str] | None = None,
) -> None:
    confirm = password if confirm is None else confirm
    link = links.get()
    client = world.app.test_client()
    page = send(client.get, link)
    assert page.status_code == 200, f"fresh link {link} refused: {page.status_code}"
    if shows is not None:
        check_echoed(page, shows)
        check_page(page, shows)
    response = send(
        client.post,
        link,
        data={
            **junk,
            **(extra or {}),
            "password": password,
            "confirm": confirm,
            "csrf_token": csrf_token(page.text),
        },
    )

    check_status(response, {200, 302}, link.split("/")[2])
    check_page(response, password, confirm, *junk.values())
    if response.status_code == 302:
        assert password == confirm and 10 <= len(password) <= 200, "a bad password was accepted"
        assert send(world.app.test_client().get, link).status_code == 400, "link reusable"
        links.link = None
    else:
        check_password_not_echoed(response)


@fuzz_settings(80)
@given(password=passwords, confirm=st.none() | fuzz_text, junk=junk_fields)
def test_reset_password_form(relaxed_world, password, confirm, junk):
    world = relaxed_world  # one link per example: far more than 3 reset emails an hour
    if "reset" not in world.links:

        def request_reset() -> str:
            client = world.app.test_client()
            token = csrf_token(send(client.get, "/auth/forgot-password").text)
            sent = send(
                client.post,
                "/auth/forgot-password",
                data={"email": world.member.email, "csrf_token": token},
            )
            assert sent.status_code == 200
            return last_link(world.member.email)

        world.links["reset"] = LinkSource(request_reset)
    _fuzz_choose_password(world, world.links["reset"], password, confirm, junk)


INVITEE_NAME = '<script>alert(1)</script> Nia O\'Brien "Nye" & co'


@fuzz_settings(80)
@given(password=passwords, confirm=st.none() | fuzz_text, junk=junk_fields)
def test_accept_invitation_form(world, password, confirm, junk):
    if "invite" not in world.links:
        admin = world.client("everything")

        def invite() -> str:
            email = f"new{next(_seq)}@example.nhs.uk"
            sent = send(
                admin.post,
                "/admin/users/invite",
                data={
                    "email": email,
                    "name": INVITEE_NAME,
                    "role": "trust_user",
                    "alliance": str(world.alliance.id),
                    "trust": str(world.trust_a.id),
                    "csrf_token": world.token("everything"),
                },
            )
            assert sent.status_code == 302, sent.status_code
            return last_link(email)

        world.links["invite"] = LinkSource(invite)
    _fuzz_choose_password(
        world,
        world.links["invite"],
        password,
        confirm,
        junk,
        shows=INVITEE_NAME,
        extra={"name": INVITEE_NAME},
    )


ROLE_VALUES = ["site_admin", "coordinator", "buddying_lead", "trust_user"]


# Non-ASCII local parts exercise case folding ("İ".lower() is two characters, for one).
_letters = st.text(st.characters(categories=("Lu", "Ll", "Lt")), min_size=1, max_size=20)
unicode_emails = st.builds(
    lambda local: f"{local}@example.nhs.uk",
    _letters | st.sampled_from(["İx", "ǅx", "ΑΣ", "ẞx", "\u13a0x"]),
)
valid_emails = odd_emails | unicode_emails | st.emails(domains=st.just("example.nhs.uk"))


@fuzz_settings(100)
@given(data=st.data(), valid=st.booleans(), junk=junk_fields)
def test_admin_invite_form(world, data, valid, junk):
    """Half the examples are well-formed invitations with hostile names, half anything at all."""
    if valid:
        email = data.draw(valid_emails, label="email")
        name = data.draw(short_fuzz.filter(str.strip), label="name")
        role = data.draw(st.sampled_from(ROLE_VALUES), label="role")
        alliance, trust = str(world.alliance.id), str(world.trust_a.id)
    else:
        email = data.draw(fuzz_text | valid_emails, label="email")
        name = data.draw(fuzz_text, label="name")
        role = data.draw(st.sampled_from(ROLE_VALUES) | short_fuzz, label="role")
        choice = st.one_of(st.just(""), short_fuzz, st.integers(-5, 2**40).map(str))
        alliance = data.draw(st.just(str(world.alliance.id)) | choice, label="alliance")
        trust = data.draw(st.just(str(world.trust_a.id)) | choice, label="trust")
    admin = world.client("everything")
    response = send(
        admin.post,
        "/admin/users/invite",
        follow_redirects=True,
        data={
            **junk,
            "email": email,
            "name": name,
            "role": role,
            "alliance": alliance,
            "trust": trust,
            "csrf_token": world.token("everything"),
        },
    )

    for hop in response.history:
        check_status(hop, {302}, "invite")
    check_status(response, {200, 400}, "invite")
    assert (response.status_code == 200) == bool(response.history)
    check_page(response, email, name, role, alliance, trust, *junk.values())
    check_echoed(response, email)  # in the form, or in "Invitation sent to ..."
    if response.status_code == 200:
        offered = db.session.scalar(
            select(RoleInvitation).where(RoleInvitation.email == email.strip().lower())
        )
        assert offered is not None, "invitation accepted but no offer recorded"
    else:
        check_echoed(response, name)


@fuzz_settings(60)
@given(data=st.data(), junk=junk_fields)
def test_admin_toggle_user_form(world, data, junk):
    user_id = data.draw(st.sampled_from(world.user_ids) | ids, label="user_id")
    admin = world.client("everything")
    response = send(
        admin.post,
        f"/admin/users/{user_id}/active",
        data={**junk, "csrf_token": world.token("everything")},
    )
    check_status(response, {302, 404}, "toggle user")
    check_page(response, *junk.values())
    if user_id == world.everything.id:
        db.session.expire_all()
        assert db.session.get(User, user_id).active, "the admin deactivated themself"


# Buddying forms (as the alliance's buddying lead): assign a pair, add a note, move a pair on.


def _buddying_mentee(world: World) -> str:
    """Give trust A a submitted assessment below target on S1.1, so the assign form is live."""
    from selfassess.models import AssessmentScore, SnapshotDomain, SnapshotStandard

    if world.assessment.state != "submitted":
        domain = SnapshotDomain(
            snapshot_id=world.cycle.snapshot_id,
            code="D",
            name="Domain",
            description="",
            weight=1,
            position=0,
        )
        db.session.add(
            SnapshotStandard(
                snapshot_id=world.cycle.snapshot_id,
                domain=domain,
                code="S1.1",
                statement="Fuzz",
                core=True,
                target=3,
                weight=1,
                guidance="",
                position=0,
            )
        )
        world.assessment.state = "submitted"
        db.session.add(
            AssessmentScore(
                assessment_id=world.assessment.id,
                scope="standard",
                code="S1.1",
                score=2.0,
                score_index=25.0,
                met=False,
            )
        )
        db.session.commit()
    slug, mentee = world.alliance.slug, world.pair.mentee_membership_id
    return f"/alliances/{slug}/buddying/cycles/{world.cycle.id}/members/{mentee}/pairs/new"


@fuzz_settings(60)
@given(data=st.data(), junk=junk_fields)
def test_buddying_assign_form(world, data, junk):
    url = _buddying_mentee(world)
    mentor = data.draw(st.just(str(world.pair.mentor_membership_id)) | short_fuzz, label="mentor")
    focus = data.draw(st.lists(st.just("S1.1") | short_fuzz, max_size=3), label="focus")
    start = data.draw(st.just("2025-06-01") | st.dates().map(str) | short_fuzz, label="start")
    note = data.draw(fuzz_text, label="note")
    response = send(
        world.client("everything").post,
        url,
        data={
            **junk,
            "mentor": mentor,
            "focus": focus,
            "start_date": start,
            "note": note,
            "csrf_token": world.token("everything"),
        },
    )
    # Trust B already mentors trust A, so even a well-formed request is refused, with a reason.
    check_status(response, {400}, "assign pair")
    check_page(response, mentor, start, note, *focus, *junk.values())
    if len(note) <= 5000:
        check_echoed(response, note)


@fuzz_settings(60)
@given(body=fuzz_text, junk=junk_fields)
def test_buddying_note_form(world, body, junk):
    url = f"/alliances/{world.alliance.slug}/buddying/pairs/{world.pair.id}/notes"
    response = send(
        world.client("everything").post,
        url,
        data={**junk, "body": body, "csrf_token": world.token("everything")},
    )
    check_status(response, {302, 400}, "add note")
    check_page(response, body, *junk.values())
    assert (response.status_code == 302) == (bool(body.strip()) and len(body) <= 5000)
    if response.status_code == 400:
        check_echoed(response, body)


@fuzz_settings(40)
@given(
    to=st.sampled_from(["active", "completed", "ended"]) | short_fuzz,
    seen=st.just("active") | short_fuzz,
    junk=junk_fields,
)
def test_buddying_status_form(world, to, seen, junk):
    url = f"/alliances/{world.alliance.slug}/buddying/pairs/{world.pair.id}/status"
    before = world.pair.status
    response = send(
        world.client("everything").post,
        url,
        data={**junk, "to": to, "seen": seen, "csrf_token": world.token("everything")},
    )
    check_status(response, {302, 400, 409}, "pair status")
    check_page(response, to, seen, *junk.values())
    db.session.expire_all()
    if response.status_code != 302:
        assert db.session.get(type(world.pair), world.pair.id).status == before


@fuzz_settings(40)
@given(status=fuzz_text, trust=fuzz_text | st.integers(-5, 2**40).map(str))
def test_buddying_pair_filters(world, status, trust):
    response = send(
        world.client("everything").get,
        f"/alliances/{world.alliance.slug}/buddying/pairs/",
        query_string={"status": status, "trust": trust},
    )
    check_status(response, {200}, "pair filters")
    check_page(response, status, trust)


# 2. Every GET route, arbitrary path values and query strings, signed in and signed out


def _rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule))


def _int_argument(rule: Rule, name: str) -> bool:
    return isinstance(rule._converters.get(name), IntegerConverter)


def _value_strategy(world: World, rule: Rule, name: str) -> st.SearchStrategy[Any]:
    if _int_argument(rule, name):
        known = {
            "cycle_id": world.cycle.id,
            "assessment_id": world.assessment.id,
            "user_id": world.member.id,
            "pair_id": world.pair.id,
            "membership_id": world.pair.mentee_membership_id,
        }
        return (st.just(known[name]) | ids) if name in known else ids
    known_text = {
        "slug": [world.alliance.slug, "no-such-alliance"],
        "code": [world.trust_a.code, world.trust_b.code, "NOPE"],
        "token": [
            tokens.make_token(world.everything, tokens.RESET),
            tokens.make_token(world.invitee, tokens.INVITE),
        ],
        "filename": ["css/report.css", "../selfassess/__init__.py", "css/../../../etc/passwd"],
    }.get(name, [])
    strategy: st.SearchStrategy[str] = short_fuzz | long_text
    if known_text:
        known_st = st.sampled_from(known_text)
        strategy = known_st | strategy | st.builds(lambda k, s: k + s, known_st, short_fuzz)
    return strategy


query_pairs = st.lists(
    st.tuples(
        st.sampled_from(["next", "page", "q", "sort", "cycle", "format", "id"]) | plain, fuzz_text
    ),
    max_size=3,
)
raw_query = st.text(string.ascii_letters + string.digits + "%&=;+?/[]{}.'\"<>!$*-_", max_size=60)


@fuzz_settings(400)
@given(data=st.data(), who=st.sampled_from(["everything", "anonymous"]))
def test_every_get_route(world, data, who):
    rules = [r for r in _rules(world.app) if "GET" in (r.methods or ())]
    rule = data.draw(st.sampled_from(rules), label="rule")
    values = {
        name: data.draw(_value_strategy(world, rule, name), label=name)
        for name in sorted(rule.arguments)
    }
    query = data.draw(query_pairs.map(urlencode) | raw_query, label="query")
    path = world.app.url_map.bind("localhost").build(rule.endpoint, values)
    response = send(world.client(who).get, path, query_string=query)
    check_status(response, allowed_for(path), f"GET {path}?{query} as {who}")
    check_page(response, query, *map(str, values.values()))


_SEGMENTS = [
    "alliances",
    "trusts",
    "auth",
    "admin",
    "static",
    "buddying",
    "cycles",
    "assessments",
    "home",
    "sign-in",
    "reset-password",
    "users",
    "active",
    "",
    "..",
]


@fuzz_settings(150)
@given(
    segments=st.lists(st.sampled_from(_SEGMENTS) | short_fuzz, min_size=1, max_size=6),
    who=st.sampled_from(["everything", "anonymous"]),
    query=query_pairs.map(urlencode),
)
def test_arbitrary_paths(world, segments, who, query):
    # Set as the server would pass it (UTF-8 bytes as latin-1), so "//x" stays a path.
    path = "/" + "/".join(segments)
    raw = path.encode("utf-8").decode("latin-1")
    response = send(
        world.client(who).get, "/", query_string=query, environ_overrides={"PATH_INFO": raw}
    )
    check_status(response, allowed_for(path), f"GET {path!r} as {who}")
    check_page(response, *segments, query)


# NUL and out-of-range integers: the database, not Python, is what refuses these, so each place
# they can reach is a test of its own. The app refuses NUL anywhere in a request with a 400 page.


def _nul_request(world: World, where: str, value: str) -> tuple[Any, set[int]]:
    anon, admin = world.app.test_client(), world.client("everything")
    if where in ("sign-in email", "sign-in password"):
        token = csrf_token(send(anon.get, "/auth/sign-in").text)
        fields = {"email": world.member.email, "password": "wrong password"}
        fields[where.split()[1]] = value
        return send(anon.post, "/auth/sign-in", data={**fields, "csrf_token": token}), {400}
    if where == "forgot-password email":
        token = csrf_token(send(anon.get, "/auth/forgot-password").text)
        return send(
            anon.post, "/auth/forgot-password", data={"email": value, "csrf_token": token}
        ), {400}
    if where in ("invite email", "invite name"):
        fields = {"email": f"nul{next(_seq)}@example.nhs.uk", "name": "Nul Person"}
        fields[where.split()[1]] = value
        return send(
            admin.post,
            "/admin/users/invite",
            data={
                **fields,
                "role": "trust_user",
                "alliance": "",
                "trust": str(world.trust_a.id),
                "csrf_token": world.token("everything"),
            },
        ), {400}
    if where == "sign-in ?next":
        return send(anon.get, "/auth/sign-in", query_string=urlencode({"next": value})), {400}
    path = {
        "alliance slug": "/alliances/{}/",
        "buddying slug": "/alliances/{}/buddying/",
        "trust code": "/trusts/{}/",
        "reset token": "/auth/reset-password/{}",
        "invitation token": "/invitations/{}",
    }[where]
    return send(admin.get, path.format(quote(value, safe=""))), {400, 404}


@pytest.mark.parametrize(
    "where",
    [
        "sign-in email",
        "sign-in password",
        "forgot-password email",
        "invite email",
        "invite name",
        "sign-in ?next",
        "alliance slug",
        "buddying slug",
        "trust code",
        "reset token",
        "invitation token",
    ],
)
@fuzz_settings(8)
@given(value=with_nul)
def test_nul_characters_are_refused_cleanly(world, where, value):
    """NUL cannot be stored in PostgreSQL text: a request holding one is refused, not a 500."""
    response, allowed = _nul_request(world, where, value)
    check_status(response, allowed, f"{where} holding NUL ({value!r})")
    check_page(response, value)


@pytest.mark.parametrize("route", ["answers.csv", "scores.csv", "assessment", "toggle user"])
@fuzz_settings(10)
@given(number=huge_ids)
@example(number=2**31).via("PostgreSQL integer limit")
@example(number=2**63).via("SQLite integer limit")
def test_out_of_range_ids_are_not_found(world, route, number):
    """An id beyond what the id column holds names no object: 404, not a database error."""
    client = world.client("everything")
    if route == "toggle user":
        response = send(
            client.post,
            f"/admin/users/{number}/active",
            data={"csrf_token": world.token("everything")},
        )
    elif route == "assessment":
        response = send(client.get, f"/trusts/{world.trust_a.code}/assessments/{number}/")
    else:
        response = send(client.get, f"/alliances/{world.alliance.slug}/cycles/{number}/{route}")
    assert response.status_code == 404, f"{route} with id {number}: {response.status_code}"


# 3. Hostile names stored in the database come back escaped on every page that shows them

HOSTILE_TRUST = "<img src=x onerror=alert(1)>"
HOSTILE_ALLIANCE = "\"'><script>x</script>"


def _pages(world: World) -> dict[str, str]:
    slug, code = world.alliance.slug, world.trust_a.code
    return {
        "coordinator": f"/alliances/{slug}/",
        "buddying": f"/alliances/{slug}/buddying/",
        "trust": f"/trusts/{code}/",
        "assessment": f"/trusts/{code}/assessments/{world.assessment.id}/",
        "admin": "/admin/",
        "home": "/home",
    }


# Which stored names each page shows.
SHOWN_ON = {
    "coordinator": ("alliance", "trust", "trust_b", "cycle", "user"),
    "buddying": ("alliance", "trust", "trust_b", "cycle", "standard", "user"),
    "trust": ("alliance", "trust", "cycle", "user"),
    "assessment": ("alliance", "trust", "cycle", "comment", "user"),
    "admin": ("alliance", "trust", "trust_b", "user"),
    "home": ("alliance", "trust", "user"),
}


def _check_names_escaped(world: World, names: dict[str, str], *, strict: bool = False) -> None:
    """Each page shows its names escaped; ``strict``: the raw names appear nowhere either."""
    client = world.client("everything")
    for page, path in _pages(world).items():
        response = send(client.get, path)
        assert response.status_code == 200, f"{page}: {response.status_code}"
        body = response.get_data(as_text=True)
        check_page(response, *names.values())
        for what in SHOWN_ON[page]:
            if what in names:
                # Shown escaped; the header shows the signed-in user's name on one line (its
                # runs of whitespace, line breaks included, as single spaces); a table cell
                # leaves out whitespace at either end (Python's, which counts the separator
                # controls \x1c-\x1f too).
                name = names[what]
                shown = {str(escape(v)) for v in (name, name.strip(), " ".join(name.split()))}
                assert any(s in body for s in shown), f"{what} name not shown escaped on {page}"
                if strict:
                    assert names[what] not in body, f"{what} name unescaped on {page}"


def test_hostile_names_are_escaped_on_every_page(app):
    names = {
        "trust": HOSTILE_TRUST,
        "alliance": HOSTILE_ALLIANCE,
        "trust_b": "Trust B \"'><img src=x onerror=alert(2)>",
        "cycle": "2025/26 <script>alert(3)</script>",
        "user": "<b onmouseover=alert(4)>Every</b> O'Role",
        "comment": "</p><script>alert(5)</script>",
        "standard": "<svg onload=alert(6)>",
    }
    _check_names_escaped(build_world(app, **names), names, strict=True)


stored_name = (
    st.one_of(mixed, st.sampled_from(HOSTILE), plain.filter(str.strip))
    .map(lambda s: s[:100])
    .filter(str.strip)
)


@fuzz_settings(30)
@given(
    names=st.fixed_dictionaries(
        {
            "alliance": stored_name,
            "trust": stored_name,
            "trust_b": stored_name,
            "cycle": stored_name,
            "user": stored_name,
            "comment": stored_name,
            "standard": stored_name,
        }
    )
)
def test_any_stored_names_are_escaped(app, names):
    _check_names_escaped(build_world(app, **names), names)


@fuzz_settings(20)
@given(cycle_name=stored_name, kind=st.sampled_from(["answers", "scores"]))
@example(cycle_name="2025\u201326", kind="answers").via("an en dash, common in cycle names")
@example(cycle_name='2025/26 "draft"', kind="answers").via("a quote ends the filename early")
@example(cycle_name="2025/26\nrevised", kind="scores").via("a line break in a header")
def test_csv_downloads_survive_any_cycle_name(app, cycle_name, kind):
    """The download's Content-Disposition header holds the cycle name: whatever the name, the
    header can be sent (latin-1, one line, as WSGI servers require) and names one .csv file."""
    world = build_world(app, cycle=cycle_name)
    path = f"/alliances/{world.alliance.slug}/cycles/{world.cycle.id}/{kind}.csv"
    response = send(world.client("everything").get, path)
    assert response.status_code == 200, f"{path} for cycle {cycle_name!r}: {response.status_code}"
    header = response.headers["Content-Disposition"]
    assert all(ord(c) < 256 for c in header), (
        f"Content-Disposition {header!r} is not latin-1: a WSGI server (gunicorn encodes headers "
        "as latin-1) cannot send it"
    )
    disposition, params = parse_options_header(header)
    assert disposition == "attachment", header
    assert set(params) <= {"filename", "filename*"}, f"{header!r} parses to {params}"
    filename = params.get("filename*") or params.get("filename") or ""
    assert filename.endswith(f"-{kind}.csv"), f"{header!r} parses to {params}"
