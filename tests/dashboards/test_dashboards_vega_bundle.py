"""The Vega bundle: served by the app under a content hash, long-cached, gzip when accepted."""

from __future__ import annotations

import gzip
import hashlib

from selfassess.charts import bundle as vega


def test_bundle_is_served_with_a_long_cache_lifetime(client):
    bundle = vega.bundle()
    response = client.get(f"/assets/vega-{bundle.digest}.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "no-store" not in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(response.data).hexdigest().startswith(bundle.digest)
    assert b"window.vegaEmbed=" in response.data


def test_bundle_is_gzipped_when_the_browser_accepts_it(client):
    bundle = vega.bundle()
    response = client.get(
        f"/assets/vega-{bundle.digest}.js", headers={"Accept-Encoding": "gzip, br"}
    )
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == bundle.body
    assert len(response.data) < len(bundle.body) / 2


def test_an_old_or_made_up_digest_is_not_found(client):
    response = client.get("/assets/vega-0123456789abcdef0123.js")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


def test_bundle_is_built_once_per_process():
    assert vega.bundle() is vega.bundle()


def test_pages_link_the_bundle_and_no_cdn(app, scored_alliance, sign_in_as):
    world = scored_alliance(3)
    client = sign_in_as("coordinator", world.alliance)
    html = client.get(f"/alliances/{world.alliance.slug}/dashboard").text
    assert f'src="/assets/vega-{vega.bundle().digest}.js"' in html
    assert 'src="/static/js/charts.js"' in html
    assert "cdn" not in html.lower() and "jsdelivr" not in html


def test_a_fresh_process_reads_the_installed_bundle_without_building_it(tmp_path, monkeypatch):
    """What ``make install`` writes is what every later process serves: no per-process build
    (the 3.8 s a fresh worker's first dashboard paid, issue #21)."""
    written = vega.write_bundle(tmp_path)
    assert vega._read(tmp_path) == written

    def no_build() -> str:
        raise AssertionError("the bundle was built again instead of read")

    monkeypatch.setattr(vega.vl_convert, "javascript_bundle", no_build)
    assert vega._load(tmp_path) == written


def test_missing_or_torn_files_are_rebuilt_and_written_for_the_next_process(tmp_path):
    script, packed = vega._paths(tmp_path)
    made = vega._load(tmp_path)  # nothing there: built and written
    assert script.read_bytes() == made.body
    packed.write_bytes(gzip.compress(b"half a file"))  # the copies disagree: not trusted
    assert vega._read(tmp_path) is None
    assert vega._load(tmp_path) == made
    assert gzip.decompress(packed.read_bytes()) == made.body
