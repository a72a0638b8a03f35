"""The outlets register (``data/outlets.csv``): who publishes each source, its affiliation and grade.

Each source page belongs to an outlet; a page that relays another outlet's report also names
that ``original``. A relay and its original are one voice. Grades are the Admiralty source grades
(A completely reliable … E unreliable, F cannot be judged), judged for reporting on Afghanistan in
2021; the rubric is ``GRADE_RUBRIC`` and is shown on the Methodology page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from geo import settings
from geo._validate import check_id, read_rows, url_host
from geo.errors import Problem

OUTLETS_FILE = "outlets.csv"
OUTLET_COLUMNS = ("id", "name", "domains", "country", "affiliation", "reliability", "rationale")
GRADES = ("A", "B", "C", "D", "E", "F")
STRONG_GRADES = ("A", "B", "C")
SIDES = ("independent", "afghan-government", "taliban", "resistance", "unknown")
_STATE_RE = re.compile(r"^state:([A-Z]{2})$")
# An outlet that is not a state's media but is tied to its influence operations or follows its line
# (SouthFront with Russia, ISWNews with Iran): weighed exactly like that state's media.
_ALIGNED_RE = re.compile(r"^aligned:([A-Z]{2})$")
_HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

GRADE_RUBRIC: dict[str, str] = {
    "A": "completely reliable: a long record of verified field reporting and public corrections (used sparingly)",
    "B": "usually reliable: major wires and newspapers with reporters or stringers in Afghanistan",
    "C": "fairly reliable: established outlets that mostly relay others or report from afar, and state media "
    "on events where their state has no stake",
    "D": "not usually reliable: partisan or propaganda outlets, and state media where their state has a stake",
    "E": "unreliable: content farms, scrapers, anonymous mirrors, blogs, hijacked or spam sites",
    "F": "cannot be judged: an outlet we know nothing about",
}
AFFILIATION_LABELS: dict[str, str] = {
    "independent": "independent",
    "afghan-government": "Afghan government",
    "taliban": "Taliban",
    "resistance": "resistance",
    "unknown": "affiliation unknown",
}


@dataclass(frozen=True)
class Outlet:
    """A publisher of source pages, with its affiliation and Admiralty grade."""

    id: str
    name: str
    domains: tuple[str, ...]
    country: str
    affiliation: str
    reliability: str
    rationale: str = ""

    @property
    def state(self) -> str:
        """The state whose media this is or whose line it follows: ``state:RU`` or ``aligned:RU`` → ``RU``."""
        found = _STATE_RE.match(self.affiliation) or _ALIGNED_RE.match(self.affiliation)
        return found.group(1) if found else ""

    @property
    def strong(self) -> bool:
        """Graded A–C and not the state media of a country that is not party to the fighting."""
        return self.reliability in STRONG_GRADES and (not self.state or self.state in settings.PARTY_STATES)

    @property
    def independent_strong(self) -> bool:
        """An independent outlet graded A–C: its own reporting can confirm a status."""
        return self.affiliation == "independent" and self.reliability in STRONG_GRADES

    def label(self) -> str:
        """``TASS · Russian state media · C`` style label: name, affiliation, grade."""
        return f"{self.name} · {affiliation_label(self.affiliation)} · {self.reliability}"

    def serves(self, host: str) -> bool:
        """True when ``host`` is one of the outlet's domains or a subdomain of one."""
        host = host.lower().removeprefix("www.")
        return any(host == d or host.endswith("." + d) for d in self.domains)


def affiliation_label(affiliation: str) -> str:
    """Return a reader's label for an affiliation code: ``state:RU`` → ``Russian state media``."""
    found = _STATE_RE.match(affiliation)
    if found:
        code = found.group(1)
        return f"{settings.STATE_ADJECTIVES.get(code, code)} state media"
    found = _ALIGNED_RE.match(affiliation)
    if found:
        code = found.group(1)
        return f"aligned with {settings.STATE_NAMES.get(code, code)}"
    return AFFILIATION_LABELS.get(affiliation, affiliation)


def unregistered(name: str) -> Outlet:
    """An outlet known only by the name a source gives (a folder without ``outlets.csv``): ungraded."""
    return Outlet(name, name, (), "", "unknown", "F", "not in an outlets register")


def _check_row(row: dict[str, str], name: str, line: int, problems: list[Problem]) -> None:
    if (why := check_id(row["id"])) is not None:
        problems.append(Problem(name, line, why))
    if not row["name"]:
        problems.append(Problem(name, line, "name is empty"))
    domains = row["domains"].split()
    if not domains:
        problems.append(Problem(name, line, "domains is empty; list the outlet's host names, separated by spaces"))
    for domain in domains:
        if not _HOST_RE.match(domain):
            problems.append(Problem(name, line, f"domain {domain!r} is not a host name like example.com"))
    if row["affiliation"] not in SIDES and not (
        _STATE_RE.match(row["affiliation"]) or _ALIGNED_RE.match(row["affiliation"])
    ):
        problems.append(
            Problem(
                name,
                line,
                f"unknown affiliation {row['affiliation']!r}; use one of {', '.join(SIDES)}, state:XX or aligned:XX "
                "(an ISO country code, e.g. state:RU for Russian state media, aligned:RU for an outlet that "
                "follows the Russian state's line)",
            )
        )
    if row["reliability"] not in GRADES:
        problems.append(
            Problem(name, line, f"outlet {row['id']!r} has no grade: reliability must be one of {', '.join(GRADES)}")
        )
    elif not row["rationale"]:
        problems.append(Problem(name, line, f"outlet {row['id']!r} has no rationale for its grade; add one line"))
    if row["country"] and not re.fullmatch(r"[A-Z]{2}", row["country"]):
        problems.append(Problem(name, line, f"country {row['country']!r} must be an ISO code such as AF or GB"))


def load_outlets(path: Path, problems: list[Problem]) -> dict[str, Outlet]:
    """Read and validate the outlets register; append problems (file:line) and return the good rows."""
    outlets: dict[str, Outlet] = {}
    first_line: dict[str, int] = {}
    for line, row in read_rows(path, OUTLET_COLUMNS, (), problems):
        here = len(problems)
        _check_row(row, path.name, line, problems)
        if row["id"] in first_line:
            problems.append(
                Problem(path.name, line, f"duplicate outlet id {row['id']!r} (first at line {first_line[row['id']]})")
            )
        first_line.setdefault(row["id"], line)
        if len(problems) == here:
            outlets[row["id"]] = Outlet(
                row["id"],
                row["name"],
                tuple(d.lower().removeprefix("www.") for d in row["domains"].split()),
                row["country"],
                row["affiliation"],
                row["reliability"],
                row["rationale"],
            )
    return outlets


def check_source_outlet(
    outlets: dict[str, Outlet], *, outlet: str, original: str, url: str, name: str, line: int
) -> list[Problem]:
    """Return the problems of one source row's outlet, original and URL host against the register."""
    found: list[Problem] = []
    if outlet not in outlets:
        found.append(Problem(name, line, f"unknown outlet {outlet!r}; add it to {OUTLETS_FILE} or use its id"))
    else:
        host = url_host(url)
        if host and not outlets[outlet].serves(host):
            domains = " ".join(outlets[outlet].domains)
            found.append(
                Problem(
                    name,
                    line,
                    f"the url's host {host} is not among outlet {outlet!r}'s domains ({domains}); "
                    "fix the outlet or add the domain",
                )
            )
    if original and original not in outlets:
        found.append(Problem(name, line, f"unknown original outlet {original!r}; add it to {OUTLETS_FILE}"))
    if original and original == outlet:
        found.append(Problem(name, line, f"original {original!r} is the outlet itself; leave original empty"))
    return found
