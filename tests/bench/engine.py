"""Benchmark: the engine's cost on synthetic timelines, from the real data to a million claims.

Usage (from the repo root, with ../shared beside it):

    python3 tests/bench/engine.py                 # every case; about 10 minutes on 2 cores
    python3 tests/bench/engine.py --cases real,100k-10y --browser
    python3 tests/bench/engine.py --cases real-18d-10y --browser --baseline main

Each case runs in its own process (so its peak RSS is its own) over the real 399 districts:

- ``real``: data/ as it is;
- ``10k-10y``, ``100k-2y``, ``100k-10y``, ``1M-145d``, ``1M-2y``: valid synthetic timelines with
  that many claims spread evenly over that span (1 May 2012 onwards);
- ``100k-10y-zipf``: the same claims concentrated on a few districts (Zipf, s = 1.2);
- ``one-day-2000``: 2,000 reports of one district on one day (the overlap warnings case);
- ``real-18d-10y``: the real data copied back in time every 18 days over 10 years (203 copies,
  each keeping 9 of every 16 claims in turn, so about 100k claims), with its sources and outlets:
  unlike the synthetic cases, a tenth of the claims are province- or country-wide, with their
  exceptions, as in the real data.

Columns: load + validate (``load_timeline``), index (the control index), the state at a date
(median of 20 random dates, all districts), ``change_dates``, ``control_series`` over the whole
span, ``change_log``, the map's change-point table (what the first map needs), and peak RSS.
``--browser`` also times the first map in Chromium for ``100k-10y`` and ``real-18d-10y`` (the
first visitor after the server starts: page open until every district is styled), on each
revision. ``--baseline REV`` runs the same cases on another git revision (checked out into a
temporary worktree) in the same run, for comparison.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# A child measuring a baseline revision imports that revision's code, not ours.
CODE = Path(os.environ.get("CONTROLMAP_BENCH_TREE", REPO))
sys.path.insert(0, str(CODE))

SHARED = REPO.parent / "shared"
CASES = {
    "real": None,
    "10k-10y": (10_000, 3652, False),
    "100k-2y": (100_000, 730, False),
    "100k-10y": (100_000, 3652, False),
    "100k-10y-zipf": (100_000, 3652, True),
    "1M-145d": (1_000_000, 145, False),
    "1M-2y": (1_000_000, 730, False),
    "one-day-2000": "one-day",
    "real-18d-10y": "copies",
}
COPY_EVERY_DAYS, COPY_YEARS, COPY_KEEP = 18, 10, (9, 16)  # real-18d-10y: 9 of every 16 claims per copy
BROWSER_CASES = ("100k-10y", "real-18d-10y")
START = dt.date(2012, 5, 1)
CONTROLLERS = ("taliban", "government", "resistance", "contested")
CLAIMANTS = ("taliban", "government", "resistance", "independent")


def _districts() -> list[tuple[str, str]]:
    from geo import boundaries

    gdf = boundaries.load_districts()
    return list(zip(gdf["pcode"], gdf["province_en"], strict=True))


def generate(folder: Path, n_claims: int, n_days: int, zipf: bool, seed: int = 7) -> None:
    """Write a valid synthetic timeline: outlets, sources and claims.

    A source backs up to five claims, all about one district on different days, so no two claims
    of one district, day, side and stance share a source (which validation would refuse).
    """
    rng = random.Random(seed)
    districts = _districts()
    weights = [1 / (i + 1) ** 1.2 for i in range(len(districts))] if zipf else None
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "outlets.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "name", "domains", "country", "affiliation", "reliability", "rationale"])
        for i, (grade, affiliation) in enumerate([("B", "independent"), ("C", "state:RU"), ("D", "taliban")]):
            w.writerow([f"o{i}", f"Outlet {i}", f"o{i}.example.org", "GB", affiliation, grade, "synthetic"])
    n_sources = max(1, n_claims // 5)
    with open(folder / "sources.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "outlet", "original", "url", "published", "language", "kind", "summary"])
        for i in range(n_sources):
            o = i % 3
            day = START + dt.timedelta(days=rng.randrange(n_days))
            w.writerow([f"s{i}", f"o{o}", "", f"https://o{o}.example.org/{i}", day, "en", "wire", "Synthetic."])
    picks = sorted(rng.choices(range(len(districts)), weights=weights, k=n_claims))
    with open(folder / "claims.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "date", "scope", "district", "province", "except", "reported_as", "controller",
                    "claimed_by", "stance", "source_ids", "date_note", "note"])  # fmt: skip
        source, used, last_district = -1, 5, None
        for i, k in enumerate(picks):
            pcode, province = districts[k]
            if used == 5 or k != last_district:  # a fresh source: up to 5 claims of one district
                source, used, last_district, days_used = (source + 1) % n_sources, 0, k, set()
            day = START + dt.timedelta(days=rng.randrange(n_days))
            while day in days_used and len(days_used) < n_days:
                day = START + dt.timedelta(days=rng.randrange(n_days))
            days_used.add(day)
            used += 1
            stance = "denies" if rng.random() < 0.05 else "asserts"
            w.writerow([f"c{i}", day, "district", pcode, province, "", "", rng.choice(CONTROLLERS),
                        rng.choice(CLAIMANTS), stance, f"s{source}", "", ""])  # fmt: skip


def generate_one_day(folder: Path, n: int = 2000) -> None:
    """2,000 reports of one district on one day, each with its own source: overlaps, not errors."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "outlets.csv").write_text(
        "id,name,domains,country,affiliation,reliability,rationale\n"
        "o0,Outlet,o0.example.org,GB,independent,B,synthetic\n",
        encoding="utf-8",
    )
    with open(folder / "sources.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "outlet", "original", "url", "published", "language", "kind", "summary"])
        for i in range(n):
            w.writerow([f"s{i}", "o0", "", f"https://o0.example.org/{i}", "2021-08-20", "en", "wire", "Synthetic."])
    with open(folder / "claims.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "date", "scope", "district", "province", "except", "reported_as", "controller",
                    "claimed_by", "stance", "source_ids", "date_note", "note"])  # fmt: skip
        for i in range(n):
            w.writerow([f"c{i}", "2021-08-20", "district", "AF0912", "Baghlan", "", "", "resistance",
                        "independent", "asserts", f"s{i}", "", ""])  # fmt: skip


def _copy_url(url: str, k: int) -> str:
    """The same address made unique per copy (validation refuses a URL used twice)."""
    base, hash_, fragment = url.partition("#")
    return f"{base}{'&' if '?' in base else '?'}copy={k}{hash_}{fragment}"


def generate_copies(folder: Path, source: Path = REPO / "data") -> None:
    """The real timeline copied back in time every COPY_EVERY_DAYS days over COPY_YEARS years.

    Copy ``k`` shifts every claim and source date ``k * COPY_EVERY_DAYS`` days back and suffixes its
    ids with ``-k<k>``; it keeps the claims whose row number ``i`` has ``(i + k) % 16 < 9``, so
    every claim appears in most copies and the total stays near 100k. Province- and country-wide
    claims (a tenth of the real ones) are copied like the others.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("outlets.csv", "aliases.csv"):
        if (source / name).is_file():
            (folder / name).write_bytes((source / name).read_bytes())
    with open(source / "claims.csv", newline="", encoding="utf-8") as fh:
        claims = list(csv.DictReader(fh))
    with open(source / "sources.csv", newline="", encoding="utf-8") as fh:
        sources = list(csv.DictReader(fh))
    copies = COPY_YEARS * 365 // COPY_EVERY_DAYS
    keep, cycle = COPY_KEEP

    def back(day: str, k: int) -> str:
        return (dt.date.fromisoformat(day) - dt.timedelta(days=k * COPY_EVERY_DAYS)).isoformat() if day else day

    with open(folder / "sources.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(sources[0]), lineterminator="\n")
        w.writeheader()
        for k in range(copies):
            for row in sources:
                w.writerow({**row, "id": f"{row['id']}-k{k}", "url": _copy_url(row["url"], k),
                            "published": back(row["published"], k)})  # fmt: skip
    with open(folder / "claims.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(claims[0]), lineterminator="\n")
        w.writeheader()
        for k in range(copies):
            for i, row in enumerate(claims):
                if (i + k) % cycle < keep:
                    ids = ";".join(f"{s}-k{k}" for s in row["source_ids"].split(";") if s)
                    w.writerow({**row, "id": f"{row['id']}-k{k}", "date": back(row["date"], k), "source_ids": ids})


def _timed(fn):  # noqa: ANN001, ANN202
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def measure(data_dir: Path) -> dict[str, object]:
    """Run every operation once on ``data_dir`` (in this process) and return the timings."""
    from components import district_map
    from geo import analysis, boundaries, control
    from geo.timeline import load_timeline

    gdf = boundaries.load_districts()
    pcodes = list(gdf["pcode"])
    timeline, load_s = _timed(lambda: load_timeline(data_dir, gdf))
    indexed = hasattr(type(timeline), "index")  # a baseline revision from before the control index
    _, index_s = _timed(lambda: timeline.index if indexed else None)

    def states(day: dt.date) -> object:
        if indexed:
            return timeline.index.states(date=day, pcodes=pcodes)
        return control.state_at(timeline, date=day, pcodes=pcodes)

    def first_map_table() -> object:
        if hasattr(district_map, "change_points_table"):
            return district_map.change_points_table(timeline, pcodes)
        table, day = {}, timeline.start  # the per-day table of older revisions
        while day <= timeline.end:
            table[day.isoformat()] = district_map.encode_states(states(day), pcodes)
            day += dt.timedelta(days=1)
        return table

    rng = random.Random(1)
    span = (timeline.end - timeline.start).days
    state_times = []
    for _ in range(20):
        day = timeline.start + dt.timedelta(days=rng.randrange(span + 1))
        state_times.append(_timed(lambda d=day: states(d))[1])
    _, change_s = _timed(lambda: control.change_dates(timeline))
    _, series_s = _timed(
        lambda: analysis.control_series(timeline, districts_gdf=gdf, start=timeline.start, end=timeline.end)
    )
    _, log_s = _timed(lambda: analysis.change_log(timeline, pcodes=pcodes))
    table, table_s = _timed(first_map_table)
    return {
        "claims": len(timeline.claims),
        "days": span + 1,
        "warnings": len(timeline.warnings),
        "load_s": load_s,
        "index_s": index_s,
        "state_ms": statistics.median(state_times) * 1000,
        "change_dates_s": change_s,
        "control_series_s": series_s,
        "change_log_s": log_s,
        "first_map_table_s": table_s,
        "table_bytes": len(json.dumps(table, separators=(",", ":"))),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def browser_first_map(data_dir: Path, tmp: Path, tree: Path = REPO) -> float:
    """Seconds from opening the app in ``tree`` on ``data_dir`` until Chromium shows every district styled.

    The server is fresh (empty cache folder), so this is the first visitor after a start.
    """
    from playwright import sync_api

    from tests.browserkit import CHROMIUM, CHROMIUM_ARGS, N_DISTRICTS, map_frame, running_app

    with running_app(tmp, data_dir, cwd=tree) as app, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            t0 = time.perf_counter()
            page.goto(f"{app.base}/")
            frame = map_frame(page, timeout=300)
            frame.wait_for_function(
                f"() => (document.body.getAttribute('data-codes') || '').length === {N_DISTRICTS}", timeout=300_000
            )
            return time.perf_counter() - t0
        finally:
            browser.close()


def _case_dir(name: str, root: Path) -> Path:
    spec = CASES[name]
    if spec is None:
        return REPO / "data"
    folder = root / name
    if not (folder / "claims.csv").is_file():
        if spec == "one-day":
            generate_one_day(folder)
        elif spec == "copies":
            generate_copies(folder)
        else:
            generate(folder, *spec)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated: " + ",".join(CASES))
    parser.add_argument("--browser", action="store_true", help="also time the first map in Chromium (100k-10y)")
    parser.add_argument("--baseline", help="a git revision to run the same cases on, in the same run")
    parser.add_argument("--work", help="folder for generated timelines (default: a temp folder)")
    parser.add_argument("--one", nargs=2, metavar=("CASE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("CONTROLMAP_BOUNDARIES_DIR", str(SHARED / "boundaries"))
    if args.one:  # child mode: measure one case in a fresh process and print JSON
        print(json.dumps(measure(Path(args.one[1]))))
        return 0
    root = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="controlmap-bench-"))
    names = [n for n in args.cases.split(",") if n]
    revisions = [("this", REPO)]
    if args.baseline:
        base = root / "baseline-tree"
        if not base.exists():
            subprocess.run(["git", "worktree", "prune"], cwd=REPO, check=True)
            subprocess.run(["git", "worktree", "add", "-f", "--detach", str(base), args.baseline], cwd=REPO, check=True)
        revisions.append((args.baseline, base))
    header = ("case", "rev", "claims", "load+validate s", "index s", "state ms", "change_dates s",
              "control_series s", "change_log s", "first-map table s", "table KB", "peak RSS MB")  # fmt: skip
    print(" | ".join(header))
    results = []
    for name in names:
        folder = _case_dir(name, root)
        for rev, tree in revisions:
            script = tree / "tests" / "bench" / "engine.py"
            if not script.is_file():
                script = Path(__file__)  # an older revision without this file: measure its code with ours
            env = {**os.environ, "CONTROLMAP_BENCH_TREE": str(tree)}
            done = subprocess.run(
                [sys.executable, str(Path(__file__)), "--one", name, str(folder)],
                cwd=tree, env=env, capture_output=True, text=True, timeout=3600,
            )  # fmt: skip
            if done.returncode != 0:
                print(f"{name} | {rev} | failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            results.append({"case": name, "rev": rev, **r})
            print(
                f"{name} | {rev} | {r['claims']} | {r['load_s']:.2f} | {r['index_s']:.2f} | {r['state_ms']:.1f} | "
                f"{r['change_dates_s']:.3f} | {r['control_series_s']:.3f} | {r['change_log_s']:.3f} | "
                f"{r['first_map_table_s']:.3f} | {r['table_bytes'] / 1024:.0f} | {r['peak_rss_mb']:.0f}",
                flush=True,
            )
    if args.browser:
        for name in BROWSER_CASES:
            folder = _case_dir(name, root)
            for rev, tree in revisions:
                seconds = browser_first_map(folder, Path(tempfile.mkdtemp(prefix="controlmap-bench-app-")), tree)
                print(f"first map in Chromium, {name}, {rev}: {seconds:.1f} s", flush=True)
                results.append({"case": name, "rev": rev, "browser_first_map_s": seconds})
    out = REPO / "tests" / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "engine.json").write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
