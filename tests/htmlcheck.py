"""Parse HTML the way a browser would and report anything that could run, load or link out."""

from __future__ import annotations

from html.parser import HTMLParser

# The only tags our own HTML (ledger, notices) uses.
ALLOWED_TAGS = {"style", "div", "span", "strong", "ul", "li", "a", "details", "summary"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, name, value) for name, value in attrs]

    def handle_data(self, data: str) -> None:
        if not self.tags or self.tags[-1] != "style":
            self.text.append(data)


def dangers(page: str) -> list[str]:
    """Every tag outside ALLOWED_TAGS, every on* attribute and every non-http(s) link."""
    parsed = _Collector()
    parsed.feed(page)
    parsed.close()
    found = [f"tag <{t}>" for t in parsed.tags if t not in ALLOWED_TAGS]
    for tag, name, value in parsed.attrs:
        if name.startswith("on") or name in {"src", "srcset", "formaction", "srcdoc"}:
            found.append(f"attribute {name} on <{tag}>")
        if name == "href" and not (value or "").lower().startswith(("http://", "https://")):
            found.append(f"link {value!r}")
    return found


def visible_text(page: str) -> str:
    """The text a reader sees (character references decoded, style sheets left out)."""
    parsed = _Collector()
    parsed.feed(page)
    parsed.close()
    return "".join(parsed.text)
