"""Make untrusted text inert where Streamlit renders it: as HTML inside markdown, or as markdown.

Streamlit passes ``st.markdown(..., unsafe_allow_html=True)`` through a markdown parser before
the HTML reaches the page, so ``html.escape`` alone is not enough there: ``![x](https://host/p.png)``
in a source summary would become an image fetched from a third-party host, ``[x](...)`` a link,
and a blank line inside a note would end the HTML block and let the rest be read as markdown.

``html_text`` therefore also turns every markdown-significant ASCII character into a numeric
character reference (the browser shows the same character; neither the markdown parser nor
the HTML parser treats it as syntax) and folds line breaks into spaces. ``md_code`` is for
plain markdown contexts such as ``st.warning``: backslash escapes are not enough there
(Streamlit still autolinks a bare ``https://host`` and draws ``\\:material/home\\:`` as an
icon fetched from a font host), so the value goes into an inline code span, which markdown
never parses.
"""

from __future__ import annotations

import re

# What inline markdown, GFM, Streamlit's directives or KaTeX could read as syntax (block
# markers such as "- " only count at a line start, and line breaks are folded away).
_MD_CHARS = "\\`*_{}[]()#!|~:$^"
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_TABLE = str.maketrans({**{ch: f"&#{ord(ch)};" for ch in _MD_CHARS}, **_HTML})
_OPEN_EMBED, _PDF = "\u202a\u202b\u202d\u202e", "\u202c"
_OPEN_ISOLATE, _PDI = "\u2066\u2067\u2068", "\u2069"
_OPENERS = re.compile(f"[{_OPEN_EMBED}{_OPEN_ISOLATE}]")
_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\x0b\x0c\x85]+\s*")


def close_bidi(text: str) -> str:
    """Close every bidi embedding, override or isolate that ``text`` opens, at its end.

    An unclosed U+202E (right-to-left override) would otherwise reverse the text that follows
    the field on screen, for example the outlet or date after a summary.
    """
    if not _OPENERS.search(text):  # the usual case, and a Python loop over every character is slow
        return text
    embeds = isolates = 0
    for ch in text:
        if ch in _OPEN_EMBED:
            embeds += 1
        elif ch == _PDF:
            embeds = max(embeds - 1, 0)
        elif ch in _OPEN_ISOLATE:
            isolates += 1
        elif ch == _PDI:
            isolates = max(isolates - 1, 0)
    return text + _PDF * embeds + _PDI * isolates


def html_text(value: object) -> str:
    """Escape ``value`` for HTML text or a double-quoted attribute inside Streamlit markdown."""
    return close_bidi(_BREAKS.sub(" ", str(value))).translate(_TABLE)


def md_code(value: object) -> str:
    """Show ``value`` literally in markdown, on one line, as an inline code span.

    Nothing inside a code span is parsed: no links, no autolinked bare URLs, no images, no
    Streamlit icons or colours, no LaTeX. A backtick in the value would end the span, so it
    is shown as an apostrophe.
    """
    text = close_bidi(_BREAKS.sub(" ", str(value))).replace("`", "'")
    return f"` {text} `" if text.strip() else "` `"
