"""The project's exceptions: every message names the problem and the fix."""

from __future__ import annotations

from dataclasses import dataclass


class BoundaryError(RuntimeError):
    """The boundary files cannot be found, downloaded, verified or read."""


@dataclass(frozen=True)
class Problem:
    """One problem in a data file, located by file and line."""

    file: str
    line: int
    message: str
    whole_file: bool = False  # the file could not be read at all, so none of its rows were checked

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ValidationError(ValueError):
    """The timeline files have problems; ``problems`` lists all of them at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the timeline data:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))
