"""AppTest: the page's widgets and query parameters (the map iframe itself is browser-tested)."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from geo import settings
from tests.conftest import REPO, TEST_DATA, shared_boundaries

D = dt.date


@pytest.fixture
def app(monkeypatch, tmp_path):
    monkeypatch.setenv("CONTROLMAP_BOUNDARIES_DIR", str(shared_boundaries()))
    monkeypatch.setenv("CONTROLMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CONTROLMAP_OFFLINE", "1")

    def make(query=None, data=None):
        if data is not None:
            monkeypatch.setenv("CONTROLMAP_DATA_DIR", str(data))
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        return at.run()

    return make


def test_slider_spans_the_timeline_and_defaults_to_its_end(app, data_dir):
    at = app(data=data_dir)
    assert not at.exception
    slider = at.slider(key="date")
    bounds = [dt.datetime.fromtimestamp(v / 1e6, dt.UTC).date() for v in (slider.min, slider.max)]  # µs in the proto
    assert (*bounds, slider.value) == (D(2021, 8, 20), D(2021, 8, 24), D(2021, 8, 24))
    assert at.query_params["date"] == "2021-08-24"


def test_change_buttons_step_between_change_dates(app, data_dir):
    at = app({"date": "2021-08-21"}, data=data_dir)
    assert at.slider(key="date").value == D(2021, 8, 21)
    at.button(key="next_change").click().run()
    assert at.slider(key="date").value == D(2021, 8, 23)
    at.button(key="prev_change").click().run()
    at.button(key="prev_change").click().run()
    assert at.slider(key="date").value == D(2021, 8, 20)
    assert at.button(key="prev_change").disabled


def ledger_of(at):
    (ledger,) = [m.value for m in at.markdown if "cm-ledger" in m.value]
    return ledger


def test_moving_the_slider_updates_the_url_and_ledger(app, data_dir):
    at = app({"date": "2021-08-20", "district": "AF0908"}, data=data_dir)
    assert "2021-08-20: Resistance" in ledger_of(at)
    at.slider(key="date").set_value(D(2021, 8, 24)).run()
    assert (at.query_params["date"], at.query_params["district"]) == ("2021-08-24", "AF0908")
    ledger = ledger_of(at)
    assert "2021-08-24: Taliban" in ledger and "disputed" in ledger and "https://example.org/mujahid" in ledger


def test_bad_parameters_are_ignored_with_a_notice(app, data_dir):
    at = app({"date": "1999-01-01", "district": "<b>AF0912"}, data=data_dir)
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "Ignored date 1999-01-01" in notices and "Ignored district" in notices
    assert at.slider(key="date").value == D(2021, 8, 24)


def test_invalid_data_shows_its_problems_not_a_traceback(app, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("sources.csv", "claims.csv"):
        (broken / name).write_bytes((TEST_DATA / "broken" / name).read_bytes())
    at = app(data=broken)
    assert not at.exception
    assert "timeline data has problems" in at.error[0].value
    assert "claims.csv:3: " in at.code[0].value  # the bad date, with its line


def test_missing_boundaries_show_the_fix(app, monkeypatch, tmp_path):
    monkeypatch.setenv("CONTROLMAP_BOUNDARIES_DIR", str(tmp_path / "nowhere"))
    at = app()
    assert not at.exception
    assert "boundaries are not available" in at.error[0].value
    assert "export CONTROLMAP_BOUNDARIES_DIR=" in at.code[0].value


def _methodology_page():
    from components import methodology

    methodology.render()


def test_methodology_page_reports_live_counts(monkeypatch, tmp_path, data_dir):
    monkeypatch.setenv("CONTROLMAP_BOUNDARIES_DIR", str(shared_boundaries()))
    monkeypatch.setenv("CONTROLMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CONTROLMAP_DATA_DIR", str(data_dir))
    at = AppTest.from_function(_methodology_page, default_timeout=60).run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "**6 claims** from **3 sources** about **3 districts**, 2021-08-20 to 2021-08-24" in text
    for heading in (
        'What "control" means here',
        "Claimed, confirmed, disputed",
        "How sources are chosen",
        "Known gaps",
    ):
        assert heading in text


def test_dari_view_lays_out_the_ledger_right_to_left(app, data_dir):
    at = app({"date": "2021-08-24", "district": "AF0908", "lang": "da"}, data=data_dir)
    assert not at.exception
    ledger = ledger_of(at)
    assert 'class="cm-ledger" data-pcode="AF0908" dir="rtl" lang="fa"' in ledger
    assert "طالبان" in ledger and "مورد اختلاف" in ledger  # Taliban, disputed
    assert at.title[0].value == "کنترول ولسوالی‌های افغانستان، ۲۰۲۱"
    assert at.query_params["lang"] == "da"


def test_unwritable_cache_folder_does_not_stop_the_app(app, monkeypatch, tmp_path, data_dir):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CONTROLMAP_CACHE_DIR", str(blocker / "cache"))
    at = app({"date": "2021-08-20", "district": "AF0912"}, data=data_dir)
    assert not at.exception and not at.error
    assert "2021-08-20: Resistance" in ledger_of(at)


def test_corrupt_boundary_zip_shows_the_checksum_problem(app, monkeypatch, tmp_path, data_dir):
    config = tmp_path / "boundaries"
    config.mkdir()
    for name, _ in settings.BOUNDARY_FILES.values():
        (config / name).write_bytes((shared_boundaries() / name).read_bytes()[:5000])
    monkeypatch.setenv("CONTROLMAP_BOUNDARIES_DIR", str(config))
    at = app(data=data_dir)
    assert not at.exception
    assert "boundaries are not available" in at.error[0].value
    assert "Checksum mismatch" in at.code[0].value and str(config) in at.code[0].value


def keep_claims(data, ids):
    lines = (data / "claims.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (data / "claims.csv").write_text(
        lines[0] + "".join(line for line in lines[1:] if line.split(",")[0] in ids), encoding="utf-8"
    )


def test_a_timeline_on_one_date_shows_the_page(app, data_dir):
    keep_claims(data_dir, {"c1", "c2", "c3"})  # all on 2021-08-20: a slider would need min < max
    at = app({"district": "AF0908"}, data=data_dir)
    assert not at.exception
    assert not at.slider
    assert any("2021-08-20" in m.value and "Date" in m.value for m in at.markdown)
    assert "2021-08-20: Resistance" in ledger_of(at)
    assert at.query_params["date"] == "2021-08-20"


def over_time_layers(at):
    import json

    (chart,) = [c for c in at.get("vega_lite_chart") if "over_time" in c.proto.id]
    spec = json.loads(chart.proto.spec)
    return spec["layer"], spec


def test_a_timeline_on_one_date_draws_a_dot_per_controller_not_a_blank_chart(app, data_dir):
    keep_claims(data_dir, {"c1", "c2", "c3"})
    at = app(data=data_dir)
    layers, _ = over_time_layers(at)
    visible = [layer["mark"] for layer in layers if layer["mark"].get("opacity", 1) > 0]
    assert {"type": "point", "filled": True, "size": 120, "opacity": 1} in visible
    assert not any(layer["mark"]["type"] == "line" for layer in layers)  # a one-point line draws nothing
    domain = layers[0]["encoding"]["x"]["scale"]["domain"]
    assert [(d["year"], d["month"], d["date"]) for d in domain] == [(2021, 8, 19), (2021, 8, 21)]
    dari = app({"lang": "da"}, data=data_dir)  # the solar axis of one day
    assert not dari.exception and over_time_layers(dari)[0][0]["mark"]["type"] == "point"


def test_a_timeline_over_several_dates_draws_step_lines(app, data_dir):
    layers, _ = over_time_layers(app(data=data_dir))
    assert layers[0]["mark"] == {"type": "line", "interpolate": "step-after"}


def test_data_edited_under_an_open_session_moves_its_dates_into_range(app, data_dir):
    at = app({"date": "2021-08-20", "compare": "2021-08-21", "district": "AF0908"}, data=data_dir)
    assert at.slider(key="date").value == D(2021, 8, 20) and at.date_input(key="compare").value == D(2021, 8, 21)
    keep_claims(data_dir, {"c5", "c6"})  # the earliest rows deleted: the timeline now runs 08-23 to 08-24
    at.run()
    assert not at.exception
    assert at.slider(key="date").value == D(2021, 8, 23)
    assert at.date_input(key="compare").value == D(2021, 8, 23)
    notices = " ".join(w.value for w in at.warning)
    assert "now runs 2021-08-23 to 2021-08-24" in notices and "2021-08-20 was moved to 2021-08-23" in notices
    assert (at.query_params["date"], at.query_params["compare"]) == ("2021-08-23", "2021-08-23")


def test_a_dangling_symlink_for_a_file_read_is_no_traceback(app, data_dir, tmp_path):
    (data_dir / "sources.csv").unlink()
    (data_dir / "sources.csv").symlink_to(tmp_path / "deleted.csv")
    at = app(data=data_dir)
    assert not at.exception
    # validation refuses the link, naming it as a problem to fix
    assert "timeline data has problems" in at.error[0].value
    assert "sources.csv:0: is a symbolic link to nothing (dangling)" in at.code[0].value


def test_an_unused_dangling_symlink_does_not_block_the_map(app, data_dir, tmp_path):
    (data_dir / "old.csv").symlink_to(tmp_path / "deleted.csv")
    at = app(data=data_dir)
    assert not at.exception and not at.error
    assert at.slider(key="date").value == D(2021, 8, 24)


def test_the_error_page_hides_the_data_path_and_quotes_only_a_short_excerpt(app, data_dir):
    lines = (data_dir / "claims.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("2021-08-20", "2021-08-20" + "9" * 3000 + "\x1b[31m", 1)
    (data_dir / "claims.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    at = app(data=data_dir)
    assert not at.exception
    assert "timeline data has problems" in at.error[0].value
    shown = at.code[0].value
    assert "claims.csv:2:" in shown
    assert str(data_dir) not in shown and str(data_dir.parent) not in shown
    assert max(len(line) for line in shown.splitlines()) <= 240
    assert "\x1b" not in shown


def test_streamlit_shows_visitors_no_error_details():
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_repeated_parameters_leave_one_value_in_the_url(app, data_dir):
    at = app({"date": ["2021-08-21", "2021-08-21"], "district": ["AF0908", "AF0908"]}, data=data_dir)
    assert not at.exception
    assert (at.query_params["date"], at.query_params["district"]) == ("2021-08-21", "AF0908")


def test_an_impossible_day_in_the_url_says_no_such_day(app, data_dir):
    at = app({"date": "2021-02-29"}, data=data_dir)
    notices = " ".join(w.value for w in at.warning)
    assert "no such day" in notices and "YYYY-MM-DD" not in notices
