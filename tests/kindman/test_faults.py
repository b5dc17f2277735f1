"""When PostgreSQL goes away, readers get a friendly 503 and the site recovers by itself when it
comes back. Stops and starts a real PostgreSQL under a real gunicorn (tests/fault_helpers.py, fixture `site_on_own_database`)."""


def assert_friendly_503(answer, public=True):
    assert answer.status == 503
    assert "We’ll be right back" in answer.body
    assert 'class="site-header"' in answer.body
    assert "Traceback" not in answer.body and "OperationalError" not in answer.body
    assert answer.headers["Retry-After"] == "30"
    assert "no-store" in answer.headers["Cache-Control"]
    if public:
        assert "unsafe-inline" not in answer.headers["Content-Security-Policy"]


def test_pages_answer_503_while_the_database_is_down_and_recover_without_a_restart(
    site_on_own_database,
):
    site = site_on_own_database
    assert site.get("/").status == 200
    assert site.get("/about/").status == 200
    assert site.get("/healthz").status == 200

    site.database.stop()
    try:
        for path in ("/", "/about/", "/no-such-page/"):
            assert_friendly_503(site.get(path))
        health = site.get("/healthz")
        assert health.status == 503
        assert health.body == "database unavailable\n"
        # Signing in also needs the database: the same friendly answer, not a 500.
        assert_friendly_503(site.get("/admin/login/"), public=False)
        assert site.process.poll() is None, "the app server must keep running"
    finally:
        site.database.start()

    assert site.wait_for("/healthz", 200).status == 200
    home = site.get("/")
    assert home.status == 200
    assert "Therapy that meets you where you are" in home.body
    assert site.get("/about/").status == 200
    assert "Traceback" not in site.logs()
