"""``python -m geo publish``: refusals, the atomic swap, a failure mid-build, and a real publish."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import components.site
from geo import _outdir
from geo.__main__ import main
from tests.paths import REPO, TEST_DATA, shared_boundaries


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("publish-cache")


@pytest.fixture
def env(cache, monkeypatch) -> dict[str, str]:
    values = {
        "CONTROLMAP_BOUNDARIES_DIR": str(shared_boundaries()),
        "CONTROLMAP_CACHE_DIR": str(cache),
        "CONTROLMAP_OFFLINE": "1",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return {**values, "PATH": "/usr/bin:/bin", "HOME": str(cache)}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path) with its SHA-256."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def fake_viewer(calls: list[Path], *, fail: BaseException | None = None):
    def build_viewer(out: Path, **kwargs) -> None:
        calls.append(out)
        assert (out / "data" / "datapackage.json").is_file()  # the release is written first
        assert set(kwargs) == {"timeline", "districts_gdf", "provinces_gdf", "release"}
        assert set(kwargs["release"]) == {"version", "citation", "license", "created"}
        (out / "index.html").write_text("new")
        if fail is not None:
            raise fail

    return build_viewer


def old_site(parent: Path) -> Path:
    site = parent / "site"
    (site / "data").mkdir(parents=True)
    (site / "data" / "datapackage.json").write_text("{}")
    (site / "index.html").write_text("old")
    return site


def test_invalid_data_is_refused_with_the_validate_messages_and_nothing_written(env, tmp_path):
    broken = str(TEST_DATA / "broken")
    validated = run(env, "validate", "--data-dir", broken)
    done = run(env, "publish", "--data-dir", broken, "--out", str(tmp_path / "site"))
    assert done.returncode == validated.returncode == 1
    assert done.stderr == validated.stderr and "claims.csv:3: no such day: 2021-13-01" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_invalid_data_leaves_an_earlier_site_as_it_was(env, tmp_path):
    site = old_site(tmp_path)
    before = tree(site)
    assert main(["publish", "--data-dir", str(TEST_DATA / "broken"), "--out", str(site)]) == 1
    assert tree(site) == before and sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda tmp: (tmp / "file.txt").write_text("x") and tmp / "file.txt", "is a file, not a folder"),
        (lambda tmp: (tmp / "link").symlink_to(old_site(tmp)) or tmp / "link", "is a symbolic link"),
        (lambda tmp: REPO / "data", "data folder"),
        (lambda tmp: REPO, "data folder"),
        (lambda tmp: REPO / "data" / "site", "data folder"),
        (lambda tmp: Path("/"), "is the root folder"),
        (lambda tmp: Path("."), "data folder"),
        (lambda tmp: (tmp / "mine").mkdir() or (tmp / "mine" / "notes.txt").write_text("x") and tmp / "mine",
         "with other files in it"),
    ],
    ids=["file", "symlink", "data", "repo", "inside-data", "root", "cwd", "foreign-folder"],
)  # fmt: skip
def test_bad_out_is_a_clear_message_never_a_traceback(env, tmp_path, make, said):
    out = make(tmp_path)
    before = tree(tmp_path)
    done = run(env, "publish", "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr and done.stderr.startswith("error: --out")
    assert tree(tmp_path) == before and not (REPO / "data" / "site").exists()


def test_the_working_folder_is_refused(tmp_path):
    (tmp_path / "work" / "sub").mkdir(parents=True)
    with pytest.raises(_outdir.OutDirError, match="working folder"):
        _outdir.check_out_dir(tmp_path / "work", data_dir=tmp_path / "data", cwd=tmp_path / "work" / "sub")


def test_a_failure_mid_build_leaves_the_old_site_and_no_staging_folder(env, tmp_path, monkeypatch):
    site = old_site(tmp_path)
    before = tree(site)
    calls: list[Path] = []
    monkeypatch.setattr(components.site, "build_viewer", fake_viewer(calls, fail=RuntimeError("disk full")))
    with pytest.raises(RuntimeError, match="disk full"):
        main(["publish", "--out", str(site)])
    assert calls and calls[0].parent == tmp_path and calls[0] != site  # it was building beside the site
    assert tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_write_error_is_a_message_and_the_old_site_stays(env, tmp_path, monkeypatch, capsys):
    site = old_site(tmp_path)
    before = tree(site)
    failure = OSError(28, "No space left on device", str(tmp_path / "x"))
    monkeypatch.setattr(components.site, "build_viewer", fake_viewer([], fail=failure))
    assert main(["publish", "--out", str(site)]) == 2
    said = capsys.readouterr().err
    assert f"error: publishing to {site} failed: No space left on device" in said and "nothing was replaced" in said
    assert tree(site) == before and sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_interrupted_build_leaves_the_old_site_and_no_staging_folder(env, tmp_path, monkeypatch):
    site = old_site(tmp_path)
    before = tree(site)
    monkeypatch.setattr(components.site, "build_viewer", fake_viewer([], fail=KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        main(["publish", "--out", str(site)])
    assert tree(site) == before and sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_complete_build_replaces_the_old_site_whole(env, tmp_path, monkeypatch, exchange):
    site = old_site(tmp_path)
    (site / "stale.js").write_text("gone after the swap")
    seen: list[str] = []

    def build_viewer(out: Path, **kwargs) -> None:
        seen.append((site / "index.html").read_text())  # the old site is still served meanwhile
        (out / "index.html").write_text("new")

    monkeypatch.setattr(components.site, "build_viewer", build_viewer)
    if not exchange:
        monkeypatch.setattr(_outdir, "_exchange", lambda a, b: False)
    assert main(["publish", "--out", str(site)]) == 0
    assert seen == ["old"] and (site / "index.html").read_text() == "new"
    assert not (site / "stale.js").exists() and (site / "data" / "control.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert os.stat(site).st_mode & 0o755 == 0o755  # readable by a web server


def test_a_real_publish_twice_gives_the_same_site_and_a_valid_package(env, tmp_path):
    site = tmp_path / "site"
    first = run(env, "publish", "--out", str(site))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"published: {site} (")
    built = tree(site)
    assert {"index.html", "methodology.html", "data/datapackage.json", "data/control.csv"} <= set(built)
    assert any(name.startswith("assets/") for name in built)
    again = run(env, "publish", "--out", str(site))
    assert again.returncode == 0, again.stderr
    assert tree(site) == built
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    checked = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(site / "data" / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
