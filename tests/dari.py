"""Find English left on a Dari page: the allow-list mechanism shared by the Dari tests.

A Latin word (two letters or more) on a Dari page is a failure unless it is one of:

- text taken as written from the data or the boundary files: the ledger marks it
  ``data-verbatim`` (district names in English, outlet names, hosts, summaries, notes) and it
  is skipped with everything inside it;
- code (``<code>``, ``st.code``): commands, file names and URL parameters are not translated;
- URLs;
- an outlet's name from ``data/outlets.csv`` (the Methodology page names Reuters, AP, …);
- ``PROPER_NAMES`` below: a short, reviewed list of names and acronyms that Dari text keeps.

Single letters are not words here: the source grades A–F are letters in both languages.
"""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser

from tests.paths import REPO

PROPER_NAMES = frozenset(
    {
        "English",  # the language switch names each language in itself
        "AGCHO",  # the boundary producer, named in the attribution
        "OCHA",
        "AFP",  # the wire, in the Methodology page (the outlets register spells it out)
        "CSV",  # file formats on the download buttons
        "GeoJSON",
        "PNG",
    }
)
_WORD = re.compile(r"[A-Za-z][A-Za-z’']*[A-Za-z]")
_URL = re.compile(r"https?://\S+|\b[\w.-]+\.(?:com|org|net|gr|af|ru|example)\b")
_CODE_SPAN = re.compile(r"`[^`]*`")


def outlet_words() -> frozenset[str]:
    """Every word of every outlet name in data/outlets.csv."""
    with (REPO / "data" / "outlets.csv").open(newline="", encoding="utf-8") as fh:
        return frozenset(w for row in csv.DictReader(fh) for w in _WORD.findall(row["name"]))


def english_words(text: str) -> list[str]:
    """The Latin words in ``text`` that the allow-list does not cover (code spans and URLs removed)."""
    text = _URL.sub(" ", _CODE_SPAN.sub(" ", text))
    allowed = PROPER_NAMES | outlet_words()
    return [w for w in _WORD.findall(text) if w not in allowed]


class _Shown(HTMLParser):
    """Collect the text of an HTML fragment, leaving out style, code and data-verbatim subtrees."""

    VOID = {"br", "img", "hr", "input", "meta", "link", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is it (or an ancestor) skipped?
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        skipped = (self.stack and self.stack[-1]) or tag in ("style", "code", "script")
        skipped = skipped or any(name == "data-verbatim" for name, _ in attrs)
        self.stack.append(bool(skipped))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.text.append(data)


def shown_text(fragment: str) -> str:
    """The text of an HTML (or markdown with HTML) fragment a Dari reader is meant to read."""
    parser = _Shown()
    parser.feed(fragment)
    parser.close()
    return " ".join(parser.text)
