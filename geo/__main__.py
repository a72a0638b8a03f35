"""Command line: ``python -m geo {validate,state,resolve,diff,audit,fetch-boundaries,publish}``.

Exit codes: 0 success, 1 a problem in the input (validation errors, unresolved name, bad date),
2 boundaries unavailable or a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import geopandas as gpd

from geo import audit, boundaries, control, export, release, settings
from geo._outdir import OutDirError, build_and_swap, check_out_dir
from geo._validate import DateError, read_date
from geo.errors import BoundaryError, ValidationError
from geo.gazetteer import Gazetteer, Match, read_aliases
from geo.timeline import ALIASES_FILE, Timeline, load_timeline


def _date(value: str) -> dt.date:
    try:
        return read_date(value)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _progress(done: int, total: int | None) -> None:
    mb = done / 1e6
    sys.stderr.write(f"\rdownloading boundaries: {mb:.1f} MB" + (f" of {total / 1e6:.1f} MB" if total else ""))
    sys.stderr.flush()


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else settings.data_dir()


def _timeline(args: argparse.Namespace) -> tuple[gpd.GeoDataFrame, Timeline]:
    districts_gdf = boundaries.load_districts(progress=_progress)
    return districts_gdf, load_timeline(_data_dir(args), districts_gdf)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate the data folder; print every problem and warning."""
    _, timeline = _timeline(args)
    for warning in timeline.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    districts = len(timeline.by_district)  # with a status from their own or a broad claim
    broad = len(timeline.broad_claims)
    print(
        f"ok: {len(timeline.claims)} claims ({broad} about all capitals, a province or the country), "
        f"{len(timeline.sources)} sources, {len(timeline.outlets)} outlets, {districts} districts covered"
    )
    return 0


def cmd_state(args: argparse.Namespace) -> int:
    """Print every district's state at a date as CSV or GeoJSON."""
    districts_gdf, timeline = _timeline(args)
    states = control.state_at(timeline, date=args.date, pcodes=districts_gdf["pcode"])
    rows = export.state_rows(states, districts_gdf)
    if args.format == "geojson":
        print(export.rows_to_geojson(rows, districts_gdf))
    else:
        sys.stdout.write(export.rows_to_csv(rows, export.STATE_HEADER))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Print the districts whose controller differs between two dates."""
    districts_gdf, timeline = _timeline(args)
    changes = control.diff_states(timeline, start=args.start, end=args.end, pcodes=districts_gdf["pcode"])
    sys.stdout.write(export.rows_to_csv(export.diff_rows(changes, districts_gdf), export.DIFF_HEADER))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """Print the evidence audit; with --strict, exit 1 when any claim is flagged."""
    districts_gdf, timeline = _timeline(args)
    audits = audit.audit_claims(timeline)
    pcodes = list(districts_gdf["pcode"])
    if args.format == "csv" and args.section == "claims":
        sys.stdout.write(export.rows_to_csv([a.row() for a in audits], audit.CLAIM_HEADER))
    elif args.format == "csv" and args.section == "status":
        rows = [f.row() for f in audit.status_figures(timeline, pcodes)]
        sys.stdout.write(export.rows_to_csv(rows, audit.STATUS_HEADER))
    elif args.format == "csv" and args.section == "text":
        sys.stdout.write(export.rows_to_csv(audit.coverage_rows(audit.coverage(timeline)), audit.COVERAGE_HEADER))
    elif args.format == "csv":
        sys.stdout.write(audit.province_coverage(timeline, districts_gdf).to_csv(index=False, lineterminator="\n"))
    else:
        sys.stdout.write(
            audit.format_text(
                audits,
                audit.province_coverage(timeline, districts_gdf),
                audit.status_figures(timeline, pcodes),
                audit.coverage(timeline),
            )
        )
    flagged = [a for a in audits if set(a.flags) & set(args.strict_flags)]
    if args.strict and flagged:
        print(f"audit: {len(flagged)} claim(s) flagged ({', '.join(args.strict_flags)})", file=sys.stderr)
        return 1
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    """Resolve a reported name to one PCODE, or print suggestions and exit 1."""
    districts_gdf = boundaries.load_districts(progress=_progress)
    gazetteer = Gazetteer(districts_gdf, read_aliases(_data_dir(args) / ALIASES_FILE))
    result = gazetteer.resolve(args.name, args.province)
    if isinstance(result, Match):
        print(f"{result.pcode},{result.name_en},{result.province_en},{result.score:.0f}")
        return 0
    print(result.describe(), file=sys.stderr)
    return 1


def cmd_fetch(args: argparse.Namespace) -> int:
    """Locate (or download), verify and process the boundary layers into the cache."""
    districts_gdf = boundaries.load_districts(progress=_progress)
    provinces_gdf = boundaries.load_provinces(progress=_progress)
    print(f"ok: {len(districts_gdf)} districts, {len(provinces_gdf)} provinces, cache {boundaries.usable_cache_dir()}")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Write the static site and the data package into ``--out``, swapped in whole when complete."""
    data_dir = _data_dir(args)
    try:
        target = check_out_dir(Path(args.out), data_dir=data_dir)
    except OutDirError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    districts_gdf, timeline = _timeline(args)  # refuses invalid data before anything is written
    for warning in timeline.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    provinces_gdf = boundaries.load_provinces(progress=_progress)
    # The CLI is an entry point, like app.py: it wires the viewer that components/ owns. geo's
    # modules themselves never import components.
    from components.site import build_viewer

    found: dict = {}

    def fill(staging: Path) -> None:
        found.update(
            release.write_package(staging / "data", timeline=timeline, districts_gdf=districts_gdf, data_dir=data_dir)
        )
        build_viewer(
            staging, timeline=timeline, districts_gdf=districts_gdf, provinces_gdf=provinces_gdf, release=dict(found)
        )
        if args.precompress:  # before the swap, so nginx never serves the new site uncompressed
            from deploy.site.precompress import precompress

            precompress(staging)

    try:
        build_and_swap(target, fill)
    except OSError as exc:  # disk full, permissions, a file that vanished: the old site is untouched
        where = f" ({exc.filename})" if exc.filename else ""
        print(
            f"error: publishing to {args.out} failed: {exc.strerror or exc}{where}; nothing was replaced",
            file=sys.stderr,
        )
        return 2
    files = sum(1 for p in target.rglob("*") if p.is_file())
    print(f"published: {args.out} ({files} files, data version {found['version']})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for all sub-commands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help=f"timeline folder (default: ${settings.ENV_DATA_DIR} or data/)")
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", parents=[common], help="check data files; exit 1 on any problem").set_defaults(
        func=cmd_validate
    )
    state = sub.add_parser("state", parents=[common], help="every district's state at a date")
    state.add_argument("--date", type=_date, required=True)
    state.add_argument("--format", choices=("csv", "geojson"), default="csv")
    state.set_defaults(func=cmd_state)
    diff = sub.add_parser("diff", parents=[common], help="districts whose controller changed between two dates")
    diff.add_argument("--from", dest="start", type=_date, required=True)
    diff.add_argument("--to", dest="end", type=_date, required=True)
    diff.set_defaults(func=cmd_diff)
    audit_p = sub.add_parser("audit", parents=[common], help="evidence report for editors: voices, grades, flags")
    audit_p.add_argument("--format", choices=("text", "csv"), default="text")
    audit_p.add_argument(
        "--section",
        choices=("claims", "provinces", "status", "text"),
        default="claims",
        help="which table for csv: claims; provinces; status (what the statuses on key dates rest on); "
        "text (Dari text and publication dates)",
    )
    audit_p.add_argument("--strict", action="store_true", help="exit 1 when a claim carries a strict flag")
    audit_p.add_argument(
        "--strict-flags",
        type=lambda v: [f for f in v.split(",") if f],
        default=["only_weak", "host_mismatch"],
        help="comma-separated flags that fail --strict (default: only_weak,host_mismatch; any of "
        + ",".join(audit.FLAGS)
        + ")",
    )
    audit_p.set_defaults(func=cmd_audit)
    resolve = sub.add_parser("resolve", parents=[common], help="reported name -> PCODE")
    resolve.add_argument("name")
    resolve.add_argument("--province")
    resolve.set_defaults(func=cmd_resolve)
    sub.add_parser("fetch-boundaries", parents=[common], help="download/verify/cache the boundaries").set_defaults(
        func=cmd_fetch
    )
    publish = sub.add_parser("publish", parents=[common], help="write the static site and the open data package")
    publish.add_argument("--out", required=True, help="the site folder (replaced whole when the new one is complete)")
    publish.add_argument(
        "--precompress", action="store_true", help="also write .br and .gz beside each text file (for nginx)"
    )
    publish.set_defaults(func=cmd_publish)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ValidationError as exc:
        print(exc, file=sys.stderr)
        return 1
    except BoundaryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
