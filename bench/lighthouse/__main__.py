"""`make lighthouse` (`python -m bench.lighthouse [--runs 3] [--url http://127.0.0.1:8000]`).

Serves the bench database under gunicorn with production settings (as `python -m bench` does),
runs Lighthouse (npm `lighthouse`, pinned in bench/lighthouse/package.json, with Debian's
Chromium) with its default mobile emulation on every public page type, and prints the median of
the four category scores per page and every audit that lost points. Writes
bench/out/lighthouse.md (a table for bench/RESULTS.md) and the last JSON report of each page to
bench/out/lighthouse/. A measurement, not a test: the machine is shared and performance is noisy.
"""

import argparse
import datetime
import json
import re
import shutil
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

from bench.__main__ import (
    OUT,
    ROOT,
    environment,
    free_port,
    machine,
    prepare,
    start_gunicorn,
)

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROME = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGET = 98

# Every public page type; None paths are found on the page named by the second element.
PAGES = [
    ("home", "/"),
    ("blog index", "/blog/"),
    ("a post", "/blog/on-sex-work-therapy/"),
    ("blog index by tag", ("/blog/", r'href="(\?tag=[^"]+)"')),
    ("therapist directory", "/therapists/"),
    ("a therapist profile", "/therapists/maren-okafor/"),
    ("standard page (privacy)", "/privacy/"),
    ("search", "/search/?q=therapy"),
    ("consultation booking", "/consultation/"),
    ("information sessions", "/info-sessions/"),
    ("an information session", ("/info-sessions/", r'href="(/info-sessions/[\w-]+/)"')),
    ("newsletter", "/newsletter/"),
    ("fees", "/fees/"),
    ("good faith estimate", "/good-faith-estimate/"),
    ("frequent questions", "/faq/"),
    ("visit", "/visit/"),
    ("home in Spanish", "/es/"),
    ("a post in Spanish", "/es/blog/por-que-la-terapia-relacional-importa-mas-que-nunca/"),
    ("a profile in Spanish", "/es/terapeutas/daniel-reyes-whitlock/"),
    ("booking in Spanish", "/es/consultation/"),
]


def resolve(base: str, path) -> str | None:
    if isinstance(path, str):
        return path
    listing, pattern = path
    with urllib.request.urlopen(base + listing, timeout=30) as response:
        found = re.search(pattern, response.read().decode())
    if not found:
        return None
    link = found.group(1).replace("&amp;", "&")
    return listing + link if link.startswith("?") else link


def lighthouse(url: str, report: Path, attempts: int = 3) -> dict:
    """One Lighthouse run; a run that fails to record a trace (it happens on a busy machine,
    "NO_NAVSTART") is tried again."""
    for _ in range(attempts):
        report.unlink(missing_ok=True)
        result = subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
            env={"PATH": "/usr/bin:/bin", "CHROME_PATH": CHROME, "HOME": str(OUT)},
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if not result.returncode and report.exists():
            return json.loads(report.read_text())
    sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")


def lost_points(data: dict) -> dict[str, str]:
    """Audits that count towards a category score and did not pass, by id."""
    lost = {}
    for category in data["categories"].values():
        for ref in category["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                value = audit.get("displayValue") or f"score {audit['score']:.2f}"
                lost[ref["id"]] = f"{category['id']}: {audit['title']} ({value})"
    return lost


def measure(base: str, runs: int, pages: list) -> list[dict]:
    (OUT / "lighthouse").mkdir(parents=True, exist_ok=True)
    rows = []
    for name, path in pages:
        url_path = resolve(base, path)
        row = {"name": name, "url": url_path, "scores": {}, "lost": {}}
        rows.append(row)
        if url_path is None:
            print(f"   {name}: no such page in this database")
            continue
        report = OUT / "lighthouse" / (re.sub(r"\W+", "-", name).strip("-") + ".json")
        samples = {category: [] for category in CATEGORIES}
        for _ in range(runs):
            data = lighthouse(base + url_path, report)
            for category in CATEGORIES:
                samples[category].append(round(data["categories"][category]["score"] * 100))
            row["lost"] |= lost_points(data)
        row["scores"] = {c: statistics.median(values) for c, values in samples.items()}
        row["samples"] = samples
        scores = " ".join(f"{c} {row['scores'][c]:g}" for c in CATEGORIES)
        print(f"   {name} {url_path}: {scores}")
        for lost in row["lost"].values():
            print(f"      - {lost}")
    return rows


def table(rows: list[dict], runs: int) -> str:
    lines = [
        f"| page | URL | {' | '.join(CATEGORIES)} |",
        f"| --- | --- |{' ---: |' * len(CATEGORIES)}",
    ]
    for row in rows:
        cells = ["n/a" if c not in row["scores"] else f"{row['scores'][c]:g}" for c in CATEGORIES]
        lines.append(f"| {row['name']} | `{row['url']}` | {' | '.join(cells)} |")
    below = [
        f"{row['name']} {c} {row['scores'][c]:g}"
        for row in rows
        for c in CATEGORIES
        if c in row["scores"] and row["scores"][c] < TARGET
    ]
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            f"Lighthouse {lighthouse_version()} (default mobile emulation and throttling), "
            f"Debian Chromium, median of {runs} runs per page; {when} on {machine()}.",
            "",
            *lines,
            "",
            f"Below {TARGET}: " + (", ".join(below) if below else f"none (target ≥ {TARGET})."),
        ]
    )


def lighthouse_version() -> str:
    return json.loads((HERE / "node_modules" / "lighthouse" / "package.json").read_text())[
        "version"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--url", help="measure a site already running here instead")
    parser.add_argument("--only", nargs="*", help="page names (or words of them) to measure")
    parser.add_argument(
        "--record", action="store_true", help="also write bench/LIGHTHOUSE.md (every page only)"
    )
    options = parser.parse_args()
    if not Path(CHROME).exists():
        sys.exit("Chromium is not installed (Debian: apt-get install chromium)")
    if not LIGHTHOUSE.exists():
        print("== npm ci (bench/lighthouse/package-lock.json)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, timeout=600)

    server = None
    base = options.url
    if base is None:
        port = free_port()
        env = environment(port)
        prepare(env)
        print(f"== gunicorn (2 workers, production settings) on 127.0.0.1:{port}")
        server = start_gunicorn(env, port, 2)
        base = f"http://127.0.0.1:{port}"
    try:
        print(f"== lighthouse, {options.runs} runs per page")
        pages = [
            page for page in PAGES if not options.only or any(w in page[0] for w in options.only)
        ]
        rows = measure(base.rstrip("/"), options.runs, pages)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)

    report = table(rows, options.runs)
    print()
    print(report)
    (OUT / "lighthouse.md").write_text(report + "\n")
    (OUT / "lighthouse.json").write_text(json.dumps(rows, indent=2))
    print("\nwritten to bench/out/lighthouse.md")
    if options.record and not options.only and not options.url:
        (ROOT / "bench" / "LIGHTHOUSE.md").write_text(
            "# Lighthouse results\n\nProduced by `make lighthouse` "
            "(`python -m bench.lighthouse --record`).\n\n" + report + "\n"
        )
        print("written to bench/LIGHTHOUSE.md")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
