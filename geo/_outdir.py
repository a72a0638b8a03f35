"""The publish command's output folder: refuse dangerous targets, build beside it, swap it in whole.

A published folder is replaced as a unit. The new tree is written into a staging folder beside
the target (same file system, so a rename moves it), then exchanged with the old one in one
``renameat2(RENAME_EXCHANGE)`` call where the kernel has it (Linux), else by two renames with the
old folder kept until the new one is in place. A reader or web server sees the old site or the
new one, never a mix; a failed or interrupted build leaves the old folder as it was and removes
its staging folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

MARKER = Path("data") / "datapackage.json"  # a folder holding this is a previous publish: safe to replace
STAGING_INFIX = ".staging-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class OutDirError(ValueError):
    """An output folder that the publish command refuses, with the reason and the fix."""


def check_out_dir(out: Path, *, data_dir: Path, cwd: Path | None = None) -> Path:
    """Return the absolute target for ``--out`` or raise OutDirError saying why it is refused.

    Refused: the root folder, an existing file, a symbolic link (the swap would replace the link,
    not the folder it points to), the data folder or a folder that contains it or lies inside it,
    the working folder or one of its parents, and an existing non-empty folder that is not a
    previous publish (replacing it would delete files the command did not write).
    """
    if out.is_symlink():
        raise OutDirError(f"--out {out} is a symbolic link; give the real folder's path (or a new name)")
    target = Path(os.path.abspath(out))
    if target.parent == target:
        raise OutDirError(f"--out {out} is the root folder; give a folder of its own, such as ./site")
    if target.exists() and not target.is_dir():
        raise OutDirError(f"--out {out} is a file, not a folder; give a folder path, such as ./site")
    here = (cwd or Path.cwd()).resolve()
    data = data_dir.resolve()
    real = target.resolve()
    if real == data or real.is_relative_to(data) or data.is_relative_to(real):
        raise OutDirError(
            f"--out {out} would replace or write into the data folder {data_dir}; give a separate folder, "
            "such as ./site"
        )
    if here.is_relative_to(real):
        raise OutDirError(f"--out {out} is the working folder or one of its parents; give a new folder, such as ./site")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise OutDirError(
            f"--out {out} is a folder with other files in it (no {MARKER} from an earlier publish); "
            "give a new or empty folder, so nothing else is deleted"
        )
    return target


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step with renameat2(RENAME_EXCHANGE); False where that is unavailable."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        errno = ctypes.get_errno()
        if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot; rename instead
            return False
        raise OSError(errno, os.strerror(errno), str(a))
    return True


def build_and_swap(target: Path, fill: Callable[[Path], None]) -> None:
    """Fill a fresh staging folder beside ``target`` with ``fill(staging)``, then swap it in for ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}{STAGING_INFIX}"))
    try:
        os.chmod(staging, 0o755)  # mkdtemp makes it 0700; a web server must be able to read the site
        fill(staging)
        if not target.exists():
            os.replace(staging, target)
        elif _exchange(staging, target):
            pass  # staging now holds the old site, removed below
        else:
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
            os.replace(target, old / "site")
            try:
                os.replace(staging, target)
            except OSError:
                os.replace(old / "site", target)  # put the old site back
                raise
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
