"""A bad edit never takes the map down: the app keeps the last valid data and says why (AppTest)."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, shared_boundaries

BAD_ROW = 'BAD-1,2021-13-45,district,AF0101,,,"unterminated\n'
NEW_ROW = "c7,2021-08-25,AF0912,Baghlan,,taliban,independent,asserts,s-mujahid,,added after the mend\n"


@pytest.fixture
def app(monkeypatch, tmp_path, data_dir):
    monkeypatch.setenv("CONTROLMAP_BOUNDARIES_DIR", str(shared_boundaries()))
    monkeypatch.setenv("CONTROLMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CONTROLMAP_OFFLINE", "1")
    monkeypatch.setenv("CONTROLMAP_DATA_DIR", str(data_dir))
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=60)


def ledger_of(at: AppTest) -> str:
    (ledger,) = [m.value for m in at.markdown if "cm-ledger" in m.value]
    return ledger


def banner_of(at: AppTest) -> str:
    return " ".join(w.value for w in at.warning if "last valid version" in w.value)


def test_a_broken_file_keeps_the_last_valid_map_with_a_banner(app, data_dir):
    app.query_params["district"] = "AF0908"
    at = app.run()
    good_ledger, good_bounds = ledger_of(at), (at.slider(key="date").min, at.slider(key="date").max)
    assert not banner_of(at)
    claims = data_dir / "claims.csv"
    good_bytes = claims.read_bytes()
    claims.write_bytes(good_bytes + BAD_ROW.encode())
    at.run()
    assert not at.exception and not at.error
    assert ledger_of(at) == good_ledger
    assert (at.slider(key="date").min, at.slider(key="date").max) == good_bounds
    banner = banner_of(at)
    assert banner and "problem" in banner and "UTC" in banner
    problems = " ".join(c.value for c in at.code)
    assert "claims.csv:8:" in problems and str(data_dir) not in problems
    assert claims.read_bytes() == good_bytes + BAD_ROW.encode()  # the editor's file is never touched

    claims.write_bytes(good_bytes + NEW_ROW.encode())  # mended, with a real change
    at.run()
    assert not at.exception and not banner_of(at)
    assert dt.datetime.fromtimestamp(at.slider(key="date").max / 1e6, dt.UTC).date() == dt.date(2021, 8, 25)


def test_a_new_session_on_broken_files_sees_the_last_valid_version(app, data_dir):
    first = app.run()
    version_banner_free = not banner_of(first)
    (data_dir / "claims.csv").write_bytes((data_dir / "claims.csv").read_bytes() + BAD_ROW.encode())
    second = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()  # another reader
    assert version_banner_free and not second.exception and not second.error
    assert banner_of(second) and second.slider(key="date")


def test_the_dari_banner_has_the_same_facts(app, data_dir):
    app.run()
    (data_dir / "claims.csv").write_bytes((data_dir / "claims.csv").read_bytes() + BAD_ROW.encode())
    app.query_params["lang"] = "da"
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["lang"] = "da"
    at.run()
    assert not at.exception and not at.error
    (banner,) = [w.value for w in at.warning if "نسخهٔ معتبر" in w.value]
    assert "UTC" in banner and "`" in banner
