"""The job queue: which storage ``JOBS_URL`` picks, that each storage really queues, and that a
real consumer (``flask jobs run``, what ``make run`` starts) delivers an email enqueued by the
web side through SQLite storage."""

from __future__ import annotations

import os
import re
import subprocess  # nosec B404
import sys
import time
import uuid
from pathlib import Path

import pytest
from huey.storage import PostgresStorage, RedisStorage, SqliteStorage
from sqlalchemy import select

from selfassess import jobs, mail
from selfassess.extensions import db
from selfassess.models import OutboxEmail, OutboxState
from tests.smtp_sink import SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("url", "storage", "argument"),
    [
        ("sqlite", SqliteStorage, ("filename", "/srv/instance/jobs.sqlite3")),
        (
            "sqlite:////var/lib/selfassess/jobs.db",
            SqliteStorage,
            ("filename", "/var/lib/selfassess/jobs.db"),
        ),
        (
            "postgresql://app@db/selfassess",
            PostgresStorage,
            ("dsn", "postgresql://app@db/selfassess"),
        ),
        ("postgresql+psycopg://app@db/x", PostgresStorage, ("dsn", "postgresql://app@db/x")),
        ("redis://127.0.0.1:6379/2", RedisStorage, ("url", "redis://127.0.0.1:6379/2")),
        ("immediate", None, None),
    ],
)
def test_jobs_url_chooses_the_storage(url, storage, argument):
    chosen, kwargs = jobs.storage_for(url, Path("/srv/instance"))
    assert chosen is storage
    if argument:
        assert kwargs[argument[0]] == argument[1]


def test_an_unknown_jobs_url_is_refused():
    with pytest.raises(ValueError, match="JOBS_URL"):
        jobs.storage_for("amqp://rabbit", Path("/srv/instance"))


def _round_trip(storage_class, **kwargs) -> bytes:  # type: ignore[no-untyped-def]
    storage = storage_class(name=f"test-{uuid.uuid4().hex[:8]}", **kwargs)
    try:
        storage.enqueue(b"job", 0)
        return storage.dequeue()
    finally:
        storage.flush_all()
        if hasattr(storage, "close"):
            storage.close()


def test_redis_storage_queues(tmp_path):
    storage, kwargs = jobs.storage_for("redis://127.0.0.1:6379/0", tmp_path)
    assert storage is RedisStorage
    assert _round_trip(storage, **kwargs) == b"job"


def test_the_apps_own_database_can_hold_the_queue(app, tmp_path):
    """JOBS_URL set to the app's database URL (SQLite file or PostgreSQL) queues there."""
    url = str(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    storage, kwargs = jobs.storage_for(url, Path(app.instance_path))
    assert _round_trip(storage, **kwargs) == b"job"


def test_make_run_starts_the_consumer_beside_the_server_and_stops_it_on_exit():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun: ", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"flask jobs run & jobs=\$\$!; trap 'kill \$\$jobs[^']*' EXIT", recipe)
    assert recipe.rstrip().endswith("$(BIN)/flask run --host 127.0.0.1 --port 5000")


def test_a_real_consumer_delivers_what_the_web_side_enqueued(app, tmp_path):
    sink = SmtpSink(free_port())
    sink.start()
    queue = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    app.config["JOBS_URL"] = queue
    jobs.init_app(app)
    consumer = None
    try:
        outbox_id = mail.send_email("queued@example.nhs.uk", "Through the queue", "Hello").id
        db.session.commit()  # enqueued into the SQLite queue file, not run here
        assert sink.messages == []
        env = {
            **os.environ,
            "FLASK_APP": "selfassess",
            "JOBS_URL": queue,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(sink.port),
            "MAIL_STARTTLS": "false",
        }
        consumer = subprocess.Popen(  # nosec B603
            [sys.executable, "-m", "flask", "jobs", "run", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        state = None
        for _ in range(600):  # until recorded (or a minute has gone: then the assert says so)
            state = db.session.scalar(select(OutboxEmail.state).where(OutboxEmail.id == outbox_id))
            db.session.commit()  # no transaction (on SQLite, the write lock) held meanwhile
            if state == OutboxState.SENT or consumer.poll() is not None:
                break
            time.sleep(0.1)
        assert state == OutboxState.SENT
        assert [m["Subject"] for m in sink.messages] == ["Through the queue"]
    finally:
        if consumer is not None:
            consumer.terminate()
            consumer.wait(timeout=30)
            assert consumer.stderr is not None
            consumer.stderr.close()
        sink.stop()
        app.config["JOBS_URL"] = "immediate"
        jobs.init_app(app)
