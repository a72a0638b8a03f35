"""Malformed timeline folders (tests/data/malformed): every problem reported with file:line, and
the app shows them as a readable error page, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.errors import ValidationError
from geo.timeline import load_timeline
from tests.browserkit import PROBE, Witness, running_app, wait_script_idle
from tests.paths import REPO, TEST_DATA, shared_boundaries

CASES = sorted(p for p in (TEST_DATA / "malformed").iterdir() if p.is_dir())


def expected(case: Path) -> tuple[list[str], list[str]]:
    lines = [ln for ln in (case / "expected.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    warnings = [ln.removeprefix("warning: ") for ln in lines if ln.startswith("warning: ")]
    return [ln for ln in lines if not ln.startswith("warning: ")], warnings


def test_the_corpus_covers_each_kind_of_problem():
    names = {case.name for case in CASES}
    assert {"bad_encoding", "missing_columns", "duplicate_ids", "bad_dates", "unknown_districts"} <= names
    assert {"contradictory_claims", "overlapping_claims"} <= names


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_problem_is_reported_with_file_and_line(case, real_districts):
    errors, warnings = expected(case)
    if errors:
        with pytest.raises(ValidationError) as info:
            load_timeline(case, real_districts)
        found = [str(p) for p in info.value.problems]
        assert len(found) == len(errors), found
        for want, got in zip(errors, found, strict=True):
            assert got.startswith(want), (want, got)
    else:
        timeline = load_timeline(case, real_districts)
        found = [str(w) for w in timeline.warnings]
        assert len(found) == len(warnings) and all(g.startswith(w) for w, g in zip(warnings, found, strict=True))


@pytest.mark.parametrize("case", [c for c in CASES if expected(c)[0]], ids=lambda c: c.name)
def test_the_app_shows_the_problems_not_a_traceback(case, monkeypatch, tmp_path):
    monkeypatch.setenv("CONTROLMAP_BOUNDARIES_DIR", str(shared_boundaries()))
    monkeypatch.setenv("CONTROLMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CONTROLMAP_OFFLINE", "1")
    monkeypatch.setenv("CONTROLMAP_DATA_DIR", str(case))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "timeline data has problems" in at.error[0].value
    shown = at.code[0].value
    for want in expected(case)[0]:
        assert want in shown, (want, shown)
    # says how to fix it, but never where the data folder lives on the server
    assert "Fix them in the data folder" in shown and str(case) not in shown and str(REPO) not in shown


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("malformed"), TEST_DATA / "malformed" / "unknown_districts") as app:
        yield app.base


@pytest.mark.browser
def test_the_error_page_in_a_browser_shows_markup_as_text(server, context, page, offsite):
    context.add_init_script(PROBE)
    witness = Witness(page)
    page.goto(f"{server}/")
    error = page.locator('[data-testid="stAlertContentError"]')
    error.wait_for(timeout=30_000)
    wait_script_idle(page)
    assert "timeline data has problems" in error.inner_text()
    code = page.locator('[data-testid="stCode"]').inner_text()
    assert "claims.csv:3: unknown district '<script>alert(1)</script>' in Baghlan" in code
    assert "claims.csv:2:" in code and "claims.csv:6:" in code
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("iframe").count() == 0  # no map is drawn from bad data
    assert witness.dialogs == [] and witness.probes() == [] and witness.errors == []
    assert [r.url for r in offsite.requests] == []
