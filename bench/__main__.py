"""`make bench` (`python -m bench [--record] [--duration 10]`).

Builds or reuses the `kindman_bench` database on the embedded PostgreSQL, fills it with realistic
volumes (bench/data.py), starts gunicorn with production settings on 127.0.0.1, drives each page
with wrk and prints requests/s, p50/p99 latency and SQL queries per uncached page. `--record`
also writes bench/RESULTS.md. All traffic stays on 127.0.0.1; every run is bounded in time.
"""

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DATABASE = "kindman_bench"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
PY = sys.executable


def bench_database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    sys.path.insert(0, str(ROOT))
    import psycopg

    from kindman.embedded_db import SUPERUSER, ensure_running

    info = ensure_running()
    with psycopg.connect(
        dbname="postgres",
        user=SUPERUSER,
        host=info["socket_dir"],
        port=info["port"],
        autocommit=True,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    from urllib.parse import quote

    return (
        f"postgresql://{SUPERUSER}@{quote(info['socket_dir'], safe='')}:{info['port']}/{DATABASE}"
    )


def environment(port: int) -> dict:
    """Production settings for gunicorn on 127.0.0.1:`port`."""
    local = ROOT / ".local"
    local.mkdir(exist_ok=True)
    key_file = local / "bench-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    unwanted = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    return {k: v for k, v in os.environ.items() if k not in unwanted} | {
        "DJANGO_SETTINGS_MODULE": "kindman.settings.production",
        "SECRET_KEY": key_file.read_text().strip(),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PUBLIC_ORIGIN": f"http://127.0.0.1:{port}",
        "DATABASE_URL": bench_database_url(),
        "STATIC_ROOT": str(local / "bench-static"),
        "MEDIA_ROOT": str(local / "bench-media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "ERROR",
        "CONSULTATION_RATE_LIMIT": "100000000",  # every load request comes from 127.0.0.1
    }


def run(env: dict, *args: str) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    if result.returncode:
        sys.exit(f"failed: {' '.join(args)}\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare(env: dict) -> None:
    """Migrate, create the cache tables, collect static files and fill the bench database."""
    print("== preparing the bench database (migrate, cache tables, static files, data)")
    run(env, PY, "manage.py", "migrate", "--no-input", "-v", "0")
    run(env, PY, "manage.py", "createcachetable")
    run(env, PY, "manage.py", "collectstatic", "--no-input", "-v", "0")
    run(env, PY, "-m", "bench.data", "seed")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    OUT.mkdir(parents=True, exist_ok=True)
    log = (OUT / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(Path(PY).with_name("gunicorn")), "kindman.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "30",
         "--no-control-socket"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    sys.exit("gunicorn did not start; see bench/out/gunicorn.log")


def parse_wrk(output: str) -> dict:
    def latency_ms(label: str):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {
        "rps": float(rps.group(1)) if rps else None,
        "p50_ms": latency_ms("50"),
        "p99_ms": latency_ms("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def drive(url: str, duration: int, connections: int, script: Path | None = None) -> dict:
    command = [WRK, "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency"]
    if script:
        command += ["-s", str(script)]
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=duration + 60
    )  # bounded: wrk stops itself after `duration`
    return parse_wrk(result.stdout)


def bench_bookings(env: dict, port: int, options) -> dict:
    """Full booking submissions: wrk POSTs valid bookings, each for a fresh (slot, phone) pair;
    afterwards PostgreSQL is asked whether any coordinator's time was sold twice."""
    base = f"http://127.0.0.1:{port}"
    run(env, PY, "-m", "bench.data", "clear-bookings")
    with urllib.request.urlopen(base + "/consultation/", timeout=10) as page:
        html = page.read().decode()
        cookie = re.search(r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    slots = re.findall(r'name="slot" value="([^"]+)"', html)
    # the page shows a week at a time: follow its "later week" links to the horizon
    for _ in range(10):
        later = re.search(r'href="([^"]+)" rel="next"', html)
        if not later:
            break
        url = base + "/consultation/" + unescape(later.group(1)).partition("/consultation/")[2]
        with urllib.request.urlopen(url, timeout=10) as page:
            html = page.read().decode()
        slots += re.findall(r'name="slot" value="([^"]+)"', html)
    script = OUT / "booking.lua"
    template = (ROOT / "bench" / "booking.lua.template").read_text()
    script.write_text(
        template.replace("{SLOTS}", "{" + ", ".join(f'"{slot}"' for slot in slots) + "}")
        .replace("TOKEN", token)
        .replace("COOKIE", cookie)
        .replace("ORIGIN", base)
    )
    print(f"   wrk {options.duration}s POST /consultation/ ({len(slots)} open slots)")
    result = subprocess.run(
        [WRK, "-t2", f"-c{options.connections}", f"-d{options.duration}s", "--timeout", "10s",
         "--latency", "-s", str(script), base + "/consultation/"],
        capture_output=True, text=True, timeout=options.duration + 60,
    )  # fmt: skip
    row = {"name": "booking submission (POST)", "url": "/consultation/", **parse_wrk(result.stdout)}
    counts = re.search(r"BOOKINGS booked=(\d+) refused=(\d+) other=(\d+)", result.stdout)
    booked, refused, other = (int(n) for n in counts.groups()) if counts else (0, 0, 0)
    doubles = int(run(env, PY, "-m", "bench.data", "double-bookings").strip().splitlines()[-1])
    row.update(
        {
            "rps": booked / options.duration,
            "booked": booked,
            "refused": refused,
            "other": other,
            "double_bookings": doubles,
            "seconds": options.duration,
        }
    )
    run(env, PY, "-m", "bench.data", "clear-bookings")
    return row


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()} {platform.release()}"


def table(rows: list[dict]) -> str:
    lines = [
        "| page | URL | requests/s | p50 ms | p99 ms | SQL queries (uncached) | HTML bytes |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]

    def cell(value, fmt="{:.0f}"):
        return "n/a" if value is None else fmt.format(value)

    def where(row):
        if not row["url"]:
            return "not in this build"
        return f"`{row['url']}`" + (f" ({row['skipped']})" if row.get("skipped") else "")

    for row in rows:
        lines.append(
            f"| {row['name']} | {where(row)} | {cell(row.get('rps'))} | "
            f"{cell(row.get('p50_ms'), '{:.1f}')} | {cell(row.get('p99_ms'), '{:.1f}')} | "
            f"{cell(row.get('queries'), '{}')} | {cell(row.get('bytes'), '{}')} |"
        )
    return "\n".join(lines)


def booking_summary(rows: list[dict]) -> list[str]:
    booking = next((r for r in rows if r["name"].startswith("booking")), None)
    if booking is None:
        return []
    return [
        f"Bookings: {booking['booked']} stored in {booking['seconds']} s "
        f"= {booking['rps']:.0f} successful bookings/s (target ≥ 100/s); {booking['refused']} "
        f"answered 'just taken', {booking['other']} other answers; double bookings in "
        f"PostgreSQL afterwards: {booking['double_bookings']} (must be 0).",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--record", action="store_true", help="write bench/RESULTS.md")
    options = parser.parse_args()
    if not Path(WRK).exists():
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")

    port = free_port()
    env = environment(port)
    prepare(env)
    rows = json.loads(run(env, PY, "-m", "bench.data", "measure"))

    print(f"== gunicorn ({options.workers} workers, production settings) on 127.0.0.1:{port}")
    server = start_gunicorn(env, port, options.workers)
    try:
        for row in rows:
            if not row["url"] or row.get("skipped"):
                continue
            url = f"http://127.0.0.1:{port}{row['url']}"
            urllib.request.urlopen(url, timeout=10).read()
            print(f"   wrk {options.duration}s {row['url']}")
            row.update(drive(url, options.duration, options.connections))
        if any(row["name"] == "consultation page" and row["url"] for row in rows):
            rows.append(bench_bookings(env, port, options))
    finally:
        server.terminate()
        server.wait(timeout=30)

    static = next((r for r in rows if r["name"].startswith("static") and r.get("rps")), None)
    post = next((r for r in rows if r["name"] == "a post" and r.get("rps")), None)
    home = next(r for r in rows if r["name"] == "home page")
    cached = post or home
    ratio = cached["rps"] / static["rps"] if static and cached.get("rps") else None

    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = "\n".join(
        [
            f"Run: {when} on {machine()}.",
            f"Load: wrk -t2 -c{options.connections} -d{options.duration}s per page; gunicorn "
            f"{options.workers} sync workers, production settings, embedded PostgreSQL.",
            "",
            table(rows),
            "",
            f"Cached {cached['name']} vs static CSS: "
            + (f"{ratio:.2f}× (target ≥ 0.8×)" if ratio else "n/a"),
            *booking_summary(rows),
        ]
    )
    print()
    print(report)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "latest.md").write_text(report + "\n")
    (OUT / "latest.json").write_text(json.dumps(rows, indent=2))
    if options.record:
        header = (ROOT / "bench" / "RESULTS.header.md").read_text()
        (ROOT / "bench" / "RESULTS.md").write_text(header + "\n" + report + "\n")
        print("\nwritten to bench/RESULTS.md")


if __name__ == "__main__":
    main()
