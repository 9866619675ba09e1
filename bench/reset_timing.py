"""Time the forgotten-password answer for known and unknown emails (issue #13, finding 10).

``python -m bench.reset_timing [N]``: N requests of each kind (default 50) in a shuffled order,
through Flask's test client on a fresh SQLite file. It prints the median time until the whole
answer has been read, and separately the median of the work left until after it (``close()``,
which a server runs once the answer is sent). Known and unknown answers should take the same
time; only the after-response part may differ.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import sys
import tempfile
import time

from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from .instance import HASH_METHOD

KNOWN = "known.person@example.nhs.uk"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def main(n: int) -> None:
    os.environ.setdefault("SECRET_KEY", "reset-timing-" + "k" * 40)
    from selfassess import create_app
    from selfassess.extensions import db
    from selfassess.models import User

    folder = tempfile.mkdtemp(prefix="reset-timing-")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/timing.sqlite3",
            "PASSWORD_HASH_METHOD": HASH_METHOD,
        }
    )
    with app.app_context():
        upgrade()
        db.session.add(
            User(
                email=KNOWN,
                name="Known Person",
                password_hash=generate_password_hash("x" * 20, method=HASH_METHOD),
            )
        )
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    match = TOKEN.search(client.get("/auth/forgot-password").get_data(as_text=True))
    assert match, "no CSRF token on the page"
    order = ["known", "unknown"] * (n + 10)
    random.Random(13).shuffle(order)
    answer: dict[str, list[float]] = {"known": [], "unknown": []}
    after: dict[str, list[float]] = {"known": [], "unknown": []}
    for i, kind in enumerate(order):
        email = KNOWN if kind == "known" else f"nobody{i}@example.nhs.uk"
        start = time.perf_counter()
        response = client.post(
            "/auth/forgot-password",
            buffered=False,
            data={"email": email, "csrf_token": match.group(1)},
        )
        response.get_data()
        answered = time.perf_counter()
        response.close()
        if i >= 20:  # warm-up
            answer[kind].append((answered - start) * 1000)
            after[kind].append((time.perf_counter() - answered) * 1000)
    for kind in ("known", "unknown"):
        print(
            f"{kind:>7}: answer median {statistics.median(answer[kind]):.2f} ms, "
            f"after the answer {statistics.median(after[kind]):.2f} ms "
            f"(n={len(answer[kind])})"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
