"""geo._publish.publish_dir: the one atomic folder publish shared by the map component and deploy/."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy import prepare
from geo._publish import STAGING_PREFIX, publish_dir


def write(files: dict[str, str]):
    calls: list[Path] = []

    def fill(staging: Path) -> None:
        calls.append(staging)
        for name, text in files.items():
            (staging / name).write_text(text)

    return fill, calls


def test_builds_once_then_leaves_a_complete_folder_alone(tmp_path):
    target = tmp_path / "deep" / "abc"
    fill, calls = write({"a.txt": "1", "index.html": "page"})
    assert publish_dir(target, fill, complete="index.html") is True
    assert sorted(p.name for p in target.iterdir()) == ["a.txt", "index.html"]
    assert publish_dir(target, fill, complete="index.html") is False
    assert len(calls) == 1
    assert [p.name for p in target.parent.iterdir()] == ["abc"]  # no staging folder left


def test_a_failing_fill_leaves_neither_target_nor_staging(tmp_path):
    target = tmp_path / "abc"

    def fill(staging: Path) -> None:
        (staging / "index.html").write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        publish_dir(target, fill, complete="index.html")
    assert list(tmp_path.iterdir()) == []


def test_a_fill_that_forgets_the_completion_file_is_refused(tmp_path):
    fill, _ = write({"a.txt": "1"})
    with pytest.raises(FileNotFoundError, match="index.html"):
        publish_dir(tmp_path / "abc", fill, complete="index.html")
    assert list(tmp_path.iterdir()) == []


def test_losing_a_race_keeps_the_winners_folder(tmp_path):
    target = tmp_path / "abc"

    def fill(staging: Path) -> None:
        # Another process publishes the same folder while this one is still writing.
        target.mkdir()
        (target / "index.html").write_text("winner")
        (staging / "index.html").write_text("loser")

    assert publish_dir(target, fill, complete="index.html") is False
    assert (target / "index.html").read_text() == "winner"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_a_half_written_target_without_its_completion_file_is_an_error(tmp_path):
    target = tmp_path / "abc"
    target.mkdir()
    (target / "stray.txt").write_text("left by a crash")
    fill, _ = write({"index.html": "page"})
    with pytest.raises(OSError):
        publish_dir(target, fill, complete="index.html")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_deploy_cached_tree_marks_its_folders_complete_and_reuses_them(tmp_path):
    fill, calls = write({"x.js": "code"})
    first = prepare.cached_tree(tmp_path, "streamlit-1", fill)
    assert (first / ".complete").is_file() and (first / "x.js").read_text() == "code"
    assert prepare.cached_tree(tmp_path, "streamlit-1", fill) == first
    assert len(calls) == 1
