"""A project-local PostgreSQL for machines where ``DATABASE_URL`` is not set.

The server comes from the ``pgserver`` package, keeps its data in ``.local/pgdata`` (git-ignored)
and listens only on a Unix socket, so it cannot collide with another PostgreSQL on the machine.
It is started on first use and left running (``cleanup_mode=None``); later commands reuse it.

    python -m kindman.embedded_db start|stop|status|url
"""

import os
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = Path(os.environ.get("KINDMAN_PGDATA", BASE_DIR / ".local" / "pgdata"))
DATABASE_NAME = "kindman"
SUPERUSER = "postgres"


def _postmaster() -> dict | None:
    """What ``postmaster.pid`` says about a running, ready server, or None."""
    try:
        lines = (PGDATA / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return None
    if len(lines) < 8 or lines[7].strip() != "ready":
        return None
    pid = int(lines[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, owned by the pgserver system user when we run as root
    return {"pid": pid, "port": lines[3].strip(), "socket_dir": lines[4].strip()}


def _ensure_database(info: dict) -> None:
    import psycopg

    with psycopg.connect(
        dbname="postgres",
        user=SUPERUSER,
        host=info["socket_dir"],
        port=info["port"],
        autocommit=True,
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def ensure_running() -> dict:
    """Start the embedded server if needed and return how to reach it."""
    info = _postmaster()
    if info is None:
        try:
            import pgserver  # imported lazily: it is only needed the first time
        except ImportError:
            raise RuntimeError(
                "No project-local PostgreSQL for this Python (the pgserver package has no build "
                "for it yet): set DATABASE_URL to a PostgreSQL server, or use Python 3.11 or 3.12."
            ) from None

        PGDATA.parent.mkdir(parents=True, exist_ok=True)
        pgserver.get_server(PGDATA, cleanup_mode=None)
        info = _postmaster()
        if info is None:
            raise RuntimeError(
                f"The embedded PostgreSQL in {PGDATA} did not start; see {PGDATA}/log"
            )
        _ensure_database(info)
    return info


def database_url() -> str:
    """The running server's DATABASE_URL, for settings, `make serve` and `psql`."""
    info = ensure_running()
    query = urlencode({"host": info["socket_dir"], "port": info["port"]})
    return f"postgresql://{SUPERUSER}@/{DATABASE_NAME}?{query}"


def stop(timeout: float = 30) -> bool:
    """Fast shutdown by signalling the postmaster; works whichever user runs the server."""
    info = _postmaster()
    if info is None:
        return False
    os.kill(info["pid"], signal.SIGINT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(info["pid"], 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    raise RuntimeError(f"PostgreSQL (pid {info['pid']}) did not stop within {timeout}s")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        info = ensure_running()
        print(f"Embedded PostgreSQL running (pid {info['pid']}, socket in {info['socket_dir']})")
    elif command == "stop":
        print("Embedded PostgreSQL stopped" if stop() else "Embedded PostgreSQL was not running")
    elif command == "status":
        info = _postmaster()
        print(f"running (pid {info['pid']})" if info else "not running")
        return 0 if info else 1
    elif command == "url":
        print(database_url())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
