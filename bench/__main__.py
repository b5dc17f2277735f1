"""`make bench` (`python -m bench [--record] [--no-baseline] [--duration 10]`).

Builds or reuses the `kindman_bench` database on the embedded PostgreSQL, fills it with realistic
volumes (bench/data.py) and serves it with gunicorn and production settings on 127.0.0.1, then
measures with wrk:

- cached: reading pages as anonymous readers get them (from the page cache), against the site's
  CSS through the same gunicorn;
- uncached (page cache off): requests/s under load, p50 and p99 latency at one connection, and
  the SQL queries of each page, counted in-process;
- against a baseline commit: the same pages, uncached, from a checkout of that commit served by
  its own gunicorn from its own database, the two servers driven alternately in short rounds.

`--record` also writes bench/RESULTS.md. All traffic stays on 127.0.0.1; every step is bounded
in time.
"""

import argparse
import datetime
import io
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DATABASE = "kindman_bench"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
PY = sys.executable

# The code before issue 18's work: uncached pages must answer at least BASELINE_TARGET times its
# requests/s. Its checkout lives in the git-ignored .local/ and has a database of its own, built
# by its own migrations and bench/data.py, so schema changes since then never matter.
BASELINE = "06d93aa"
BASELINE_DATABASE = "kindman_bench_base"
BASELINE_DIR = ROOT / ".local" / "bench-baseline"

READING_PAGES = ["home page", "blog index", "a post", "therapist directory", "a therapist profile"]
UNCACHED_PAGES = [*READING_PAGES, "consultation page"]
COMPARED_PAGES = ["a post", "blog index", "therapist directory"]
STATIC = "static CSS (whitenoise)"

CACHED_VS_STATIC_TARGET = 0.8
BASELINE_TARGET = 1.5
P99_OVER_P50_TARGET = 3.0
QUERIES_TARGET = 12


def bench_database_url(database: str = DATABASE) -> str:
    if database == DATABASE and os.environ.get("BENCH_DATABASE_URL"):
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
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            conn.execute(f'CREATE DATABASE "{database}"')
    return (
        f"postgresql://{SUPERUSER}@{quote(info['socket_dir'], safe='')}:{info['port']}/{database}"
    )


def environment(port: int, database: str = DATABASE, root: Path = ROOT) -> dict:
    """Production settings for gunicorn on 127.0.0.1:`port`, serving the checkout in `root`."""
    local = root / ".local"
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
        "DATABASE_URL": bench_database_url(database),
        "STATIC_ROOT": str(local / "bench-static"),
        "MEDIA_ROOT": str(local / "bench-media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "ERROR",
        "CONSULTATION_RATE_LIMIT": "100000000",  # every load request comes from 127.0.0.1
    }


def uncached(env: dict) -> dict:
    return env | {"PAGE_CACHE_ENABLED": "false"}


def run(env: dict, *args: str, cwd: Path = ROOT) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    if result.returncode:
        sys.exit(f"failed in {cwd}: {' '.join(args)}\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare(env: dict, cwd: Path = ROOT) -> None:
    """Migrate, create the cache tables, collect static files, fill the bench database and empty
    its caches (pages stored by an earlier run were rendered by older code)."""
    print(f"== preparing {cwd.relative_to(ROOT) if cwd != ROOT else 'the bench'} database")
    run(env, PY, "manage.py", "migrate", "--no-input", "-v", "0", cwd=cwd)
    run(env, PY, "manage.py", "createcachetable", cwd=cwd)
    run(env, PY, "manage.py", "collectstatic", "--no-input", "-v", "0", cwd=cwd)
    run(env, PY, "-m", "bench.data", "seed", cwd=cwd)
    clear = (
        "from django.conf import settings; from django.core.cache import caches; "
        "[caches[alias].clear() for alias in settings.CACHES]"
    )
    run(env, PY, "manage.py", "shell", "-c", clear, cwd=cwd)


def baseline_checkout(commit: str) -> Path:
    """The files of `commit` (no repository) in .local/bench-baseline/<full hash>/, extracted
    once with `git archive`."""
    try:
        full = subprocess.run(
            ["git", "rev-parse", "--verify", f"{commit}^{{commit}}"],
            cwd=ROOT, capture_output=True, text=True, timeout=30, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        sys.exit(f"commit {commit} is not in this repository: run with --no-baseline")
    target = BASELINE_DIR / full
    if (target / "manage.py").exists():
        return target
    print(f"== git archive {commit} into {target.relative_to(ROOT)}")
    archive = subprocess.run(
        ["git", "archive", "--format=tar", full],
        cwd=ROOT, capture_output=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    partial = BASELINE_DIR / f"{full}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(partial, filter="data")
    partial.rename(target)
    return target


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    env: dict, port: int, workers: int, cwd: Path = ROOT, log_name: str = "gunicorn.log"
) -> subprocess.Popen:
    """gunicorn serving the checkout in `cwd` with that checkout's gunicorn.conf.py, if it has
    one, as scripts/serve runs it."""
    OUT.mkdir(parents=True, exist_ok=True)
    log = (OUT / log_name).open("w")
    config = ["-c", "gunicorn.conf.py"] if (cwd / "gunicorn.conf.py").exists() else []
    process = subprocess.Popen(
        [str(Path(PY).with_name("gunicorn")), "kindman.wsgi:application", *config, "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "30",
         "--no-control-socket"],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    sys.exit(f"gunicorn did not start; see bench/out/{log_name}")


def stop(*servers: subprocess.Popen | None) -> None:
    for server in servers:
        if server is not None:
            server.terminate()
    for server in servers:
        if server is not None:
            server.wait(timeout=30)


def parse_wrk(output: str) -> dict:
    def latency_ms(label: str):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: (.+)", output)
    return {
        "rps": float(rps.group(1)) if rps else None,
        "p50_ms": latency_ms("50"),
        "p99_ms": latency_ms("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else None,
    }


def wrk(url: str, seconds: int, connections: int) -> dict:
    threads = min(2, connections)
    result = subprocess.run(
        [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "--latency", url],
        capture_output=True, text=True, timeout=seconds + 60,
    )  # fmt: skip  # bounded: wrk stops itself after `seconds`
    measured = parse_wrk(result.stdout)
    if result.returncode or measured["rps"] is None:
        measured["errors"] = [f"wrk failed: {result.stderr.strip()[-200:]}"]
    else:
        measured["errors"] = [
            *([f"{measured['non_2xx']} answers not 2xx or 3xx"] if measured["non_2xx"] else []),
            *([f"socket errors: {measured['socket_errors']}"] if measured["socket_errors"] else []),
        ]
    for error in measured["errors"]:
        print(f"   !! {url}: {error}")
    return measured


def settle(url: str, requests: int = 3) -> None:
    """A few requests, one at a time, before a measurement: a fresh worker's first pages load
    their templates, and after a load run the server still answers the requests wrk left in its
    queue; neither belongs in the next measurement."""
    for _ in range(requests):
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()


def by_name(rows: list[dict], names: list[str]) -> list[dict]:
    found = {row["name"]: row for row in rows}
    return [found[name] for name in names if name in found]


def measurable(row: dict) -> bool:
    return bool(row.get("url")) and not row.get("skipped")


def measure_cached(base: str, rows: list[dict], options) -> list[dict]:
    measured = []
    for row in by_name(rows, [*READING_PAGES, STATIC]):
        result = {"name": row["name"], "url": row["url"], "skipped": row.get("skipped")}
        if measurable(row):
            settle(base + row["url"])
            print(f"   wrk -c{options.connections} {options.duration}s {row['url']}")
            result |= wrk(base + row["url"], options.duration, options.connections)
        measured.append(result)
    return measured


def measure_uncached(base: str, rows: list[dict], options) -> list[dict]:
    measured = []
    for row in by_name(rows, UNCACHED_PAGES):
        result = dict(row)
        if measurable(row):
            settle(base + row["url"])
            print(f"   wrk -c{options.connections} {options.duration}s {row['url']}")
            load = wrk(base + row["url"], options.duration, options.connections)
            settle(base + row["url"])
            print(f"   wrk -c1 {options.duration}s {row['url']}")
            one = wrk(base + row["url"], options.duration, 1)
            result |= {
                "rps": load["rps"],
                "p50_ms": one["p50_ms"],
                "p99_ms": one["p99_ms"],
                "errors": load["errors"] + one["errors"],
            }
        measured.append(result)
    return measured


def compare(current: str, current_rows: list, baseline: str, baseline_rows: list, options) -> list:
    """Short uncached runs of each compared page, alternating baseline and current (the order
    flips every round), so both see the same minute of a shared machine; the ratio is taken
    within each round."""
    baseline_urls = {row["name"]: row for row in baseline_rows}
    comparisons = []
    for row in by_name(current_rows, COMPARED_PAGES):
        old = baseline_urls.get(row["name"])
        result = {"name": row["name"], "url": row["url"], "baseline_url": old and old["url"]}
        comparisons.append(result)
        if not (measurable(row) and old and measurable(old)):
            continue
        sides = {"baseline": baseline + old["url"], "current": current + row["url"]}
        for url in sides.values():
            settle(url)
            wrk(url, 1, options.connections)
            settle(url)
        samples = {"baseline": [], "current": []}
        errors = []
        print(f"   {options.rounds} rounds × {options.round_seconds}s each side: {row['url']}")
        for number in range(options.rounds):
            order = ["baseline", "current"] if number % 2 == 0 else ["current", "baseline"]
            for side in order:
                measured = wrk(sides[side], options.round_seconds, options.connections)
                samples[side].append(measured["rps"])
                errors += [f"{side}: {error}" for error in measured["errors"]]
                settle(sides[side])
        pairs = [
            (b, c) for b, c in zip(samples["baseline"], samples["current"], strict=True) if b and c
        ]
        ratios = [c / b for b, c in pairs]
        result |= {
            "baseline_rps": samples["baseline"],
            "current_rps": samples["current"],
            "ratios": ratios,
            "errors": errors,
            "baseline_queries": old.get("queries"),
            "current_queries": row.get("queries"),
        }
    return comparisons


def git_describe() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT, capture_output=True, text=True, timeout=30, check=True,
        ).stdout.strip()  # fmt: skip
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT, capture_output=True, text=True, timeout=30, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"
    return head + (" with uncommitted changes" if changed else "")


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


def cell(value, fmt: str = "{:.0f}") -> str:
    return "n/a" if value is None else fmt.format(value)


def where(row: dict) -> str:
    if not row.get("url"):
        return "not in this build"
    return f"`{row['url']}`" + (f" ({row['skipped']})" if row.get("skipped") else "")


def met(condition: bool | None) -> str:
    return "n/a" if condition is None else ("met" if condition else "**not met**")


def cached_section(rows: list[dict], options) -> list[str]:
    lines = [
        "## Cached: reading pages as anonymous readers get them",
        "",
        f"wrk -t2 -c{options.connections} -d{options.duration}s per page, page cache on.",
        "",
        "| page | URL | requests/s | p50 ms | p99 ms |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {where(row)} | {cell(row.get('rps'))} | "
            f"{cell(row.get('p50_ms'), '{:.1f}')} | {cell(row.get('p99_ms'), '{:.1f}')} |"
        )
    static = next((r for r in rows if r["name"] == STATIC and r.get("rps")), None)
    page = next((r for r in by_name(rows, ["a post", "home page"]) if r.get("rps")), None)
    ratio = page["rps"] / static["rps"] if page and static else None
    lines += [
        "",
        f"Cached {page['name'] if page else 'page'} against the static CSS: "
        f"{cell(ratio, '{:.2f}×')} (target ≥ {CACHED_VS_STATIC_TARGET}×): "
        f"{met(None if ratio is None else ratio >= CACHED_VS_STATIC_TARGET)}.",
    ]
    return lines


def uncached_section(rows: list[dict], options) -> list[str]:
    lines = [
        "## Uncached: page cache off",
        "",
        f"requests/s: wrk -t2 -c{options.connections} -d{options.duration}s; p50 and p99: "
        f"wrk -t1 -c1 -d{options.duration}s (one request at a time). SQL queries: one request, "
        "in-process, with Django's test client.",
        "",
        "| page | URL | requests/s | p50 ms (1 conn.) | p99 ms (1 conn.) | p99 / p50 "
        "| SQL queries | HTML bytes |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    spreads = {}
    for row in rows:
        p50, p99 = row.get("p50_ms"), row.get("p99_ms")
        spreads[row["name"]] = p99 / p50 if p50 and p99 else None
        lines.append(
            f"| {row['name']} | {where(row)} | {cell(row.get('rps'))} | {cell(p50, '{:.1f}')} | "
            f"{cell(p99, '{:.1f}')} | {cell(spreads[row['name']], '{:.1f}×')} | "
            f"{cell(row.get('queries'), '{}')} | {cell(row.get('bytes'), '{}')} |"
        )
    slow = [name for name, spread in spreads.items() if spread and spread > P99_OVER_P50_TARGET]
    measured = [spread for spread in spreads.values() if spread]
    heavy = [
        row["name"]
        for row in by_name(rows, READING_PAGES)
        if row.get("queries") is not None and row["queries"] > QUERIES_TARGET
    ]
    lines += [
        "",
        f"p99 ≤ {P99_OVER_P50_TARGET:g}× p50 at one connection: "
        + (met(not slow) if measured else "n/a")
        + (f" (above: {', '.join(slow)})" if slow else "")
        + ".",
        f"At most {QUERIES_TARGET} SQL queries per reading page: {met(not heavy)}"
        + (f" (above: {', '.join(heavy)})" if heavy else "")
        + ".",
    ]
    return lines


def baseline_section(comparisons: list[dict], options) -> list[str]:
    lines = [
        f"## Uncached, against {BASELINE}",
        "",
        f"{BASELINE} checked out in .local/bench-baseline/ and served by its own gunicorn (same "
        "workers and settings) from its own database, both with the page cache off. Per page, "
        f"{options.rounds} rounds of wrk -t2 -c{options.connections} -d{options.round_seconds}s "
        "on each server in turn (the order flips every round); the ratio is this code's "
        "requests/s over the baseline's within a round.",
        "",
        f"| page | {BASELINE} requests/s (median) | this code requests/s (median) "
        "| ratio (median) | ratio range | SQL queries before → now | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in comparisons:
        ratios = row.get("ratios")
        if not ratios:
            lines.append(f"| {row['name']} | n/a | n/a | n/a | n/a | n/a | n/a |")
            continue
        ratio = statistics.median(ratios)
        before = statistics.median(rps for rps in row["baseline_rps"] if rps)
        now = statistics.median(rps for rps in row["current_rps"] if rps)
        lines.append(
            f"| {row['name']} | {before:.0f} | {now:.0f} | {ratio:.2f}× | "
            f"{min(ratios):.2f}–{max(ratios):.2f}× | "
            f"{cell(row['baseline_queries'], '{}')} → {cell(row['current_queries'], '{}')} | "
            f"≥ {BASELINE_TARGET}×: {met(ratio >= BASELINE_TARGET)} |"
        )
    return lines


def errors_section(*sections: list[dict]) -> list[str]:
    errors = [
        f"- {row['name']}: {'; '.join(row['errors'])}"
        for rows in sections
        for row in rows
        if row.get("errors")
    ]
    if not errors:
        return []
    return ["", "## Errors during load (these pages' figures do not count)", "", *errors]


def report(cached: list, uncached_rows: list, comparisons: list | None, options) -> str:
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Run: {when}, code at {git_describe()}, on {machine()}. gunicorn {options.workers} sync "
        "workers, production settings, embedded PostgreSQL, all on 127.0.0.1.",
        "",
        *cached_section(cached, options),
        "",
        *uncached_section(uncached_rows, options),
        "",
    ]
    if comparisons is None:
        lines += [f"## Uncached, against {BASELINE}", "", "Not measured (`--no-baseline`)."]
    else:
        lines += baseline_section(comparisons, options)
    lines += errors_section(cached, uncached_rows, comparisons or [])
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds per page")
    parser.add_argument("--round-seconds", type=int, default=3, help="seconds of each round")
    parser.add_argument(
        "--no-baseline", action="store_true", help=f"skip the comparison with {BASELINE}"
    )
    parser.add_argument("--record", action="store_true", help="write bench/RESULTS.md")
    options = parser.parse_args()
    if not Path(WRK).exists():
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")

    port = free_port()
    env = environment(port)
    prepare(env)
    rows = json.loads(run(env, PY, "-m", "bench.data", "measure"))

    baseline_env = baseline_rows = None
    if not options.no_baseline:
        checkout = baseline_checkout(BASELINE)
        baseline_port = free_port()
        baseline_env = environment(baseline_port, BASELINE_DATABASE, checkout)
        prepare(baseline_env, checkout)
        baseline_rows = json.loads(
            run(baseline_env, PY, "-m", "bench.data", "measure", cwd=checkout)
        )

    base = f"http://127.0.0.1:{port}"
    print(f"== cached: gunicorn ({options.workers} workers, production settings) on {base}")
    server = start_gunicorn(env, port, options.workers)
    try:
        cached = measure_cached(base, rows, options)
    finally:
        stop(server)

    print(f"== uncached: gunicorn with PAGE_CACHE_ENABLED=false on {base}")
    server = baseline_server = None
    try:
        server = start_gunicorn(uncached(env), port, options.workers)
        uncached_rows = measure_uncached(base, rows, options)
        comparisons = None
        if baseline_env is not None:
            baseline_base = f"http://127.0.0.1:{baseline_port}"
            print(f"== against {BASELINE}: its gunicorn, page cache off, on {baseline_base}")
            baseline_server = start_gunicorn(
                uncached(baseline_env), baseline_port, options.workers, checkout,
                "gunicorn-baseline.log",
            )  # fmt: skip
            comparisons = compare(base, rows, baseline_base, baseline_rows, options)
    finally:
        stop(server, baseline_server)

    text = report(cached, uncached_rows, comparisons, options)
    print()
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "latest.md").write_text(text + "\n")
    (OUT / "latest.json").write_text(
        json.dumps({"cached": cached, "uncached": uncached_rows, "baseline": comparisons}, indent=2)
    )
    if options.record:
        header = (ROOT / "bench" / "RESULTS.header.md").read_text()
        (ROOT / "bench" / "RESULTS.md").write_text(header + "\n" + text + "\n")
        print("\nwritten to bench/RESULTS.md")


if __name__ == "__main__":
    main()
