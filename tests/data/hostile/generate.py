"""Write this folder's CSVs: a valid timeline whose every free-text field is hostile.

Run `python3 tests/data/hostile/generate.py` after editing the payloads below.
"""

import csv
from pathlib import Path

out = Path(__file__).resolve().parent
P = {
    "script": '<script>alert("script")</script>',
    "close": '</script><script>alert("close")</script>',
    "img": "<img src=x onerror=\"alert('img')\">",
    "svg": '"><svg onload=alert(`svg`)>',
    "iframe": "<iframe src=\"javascript:alert('frame')\"></iframe>",
    "a_js": "<a href=\"javascript:alert('link')\">click me</a>",
    "a_data": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>',
    "style": "<style>*{display:none!important}</style>",
    "quotes": "it's \"quoted\" and `${alert('tpl')}` and {{7*7}}",
    "md_img": "![pixel](https://evil.example/pixel.png)",
    "md_link": "[click](javascript:alert('md'))",
    "md_icon": ":material/home: :red[red] $\\href{javascript:alert(1)}{x}$",
    "bidi": "\u202egnp.exe\u202c then \u2067isolated \u2069 and \u202d\u202eunclosed",
    "entity": "&lt;script&gt;alert('entity')&lt;/script&gt; &#60;b&#62;",
    "breakout": "line one\n\n<img src=x onerror=alert('blank line')>\n\n![p](https://evil.example/after-blank.png)",
}
ALL = " ".join(v for k, v in P.items() if k != "breakout")

sources = [
    ("h-script", P["script"] + " Wire", "https://example.org/a?x=1&y=<b>", "2021-08-20", "en", "wire", ALL),
    (
        "h-img",
        P["img"],
        "https://example.org/\"><script>alert('url')</script>",
        "2021-08-21",
        "en",
        "newspaper",
        P["breakout"],
    ),
    (
        "h-svg",
        P["svg"],
        "http://example.org/'onmouseover='alert(1)'",
        "",
        "fa",
        "broadcaster",
        P["md_img"] + " " + P["md_link"],
    ),
    (
        "h-md",
        P["md_icon"],
        "https://example.org/%22%3E%3Cscript%3Ealert(2)%3C/script%3E",
        "2021-08-22",
        "en",
        "online",
        P["bidi"],
    ),
    (
        "h-dari",
        "طلوع‌نیوز " + P["a_js"],
        "https://example.org/fa/خبر?q=<i>",
        "2021-08-23",
        "fa",
        "broadcaster",
        "خبر " + P["iframe"] + P["a_data"],
    ),
]
claims = [
    # id,date,district,province,reported_as,controller,claimed_by,stance,source_ids,date_note,note
    (
        "h1",
        "2021-08-20",
        "AF0912",
        "Baghlan",
        P["close"],
        "resistance",
        "resistance",
        "asserts",
        "h-script",
        P["quotes"],
        ALL,
    ),
    (
        "h2",
        "2021-08-20",
        P["img"],
        "Baghlan",
        P["img"],
        "resistance",
        "independent",
        "asserts",
        "h-img",
        P["breakout"],
        P["style"],
    ),
    (
        "h3",
        "2021-08-21",
        "Banu",
        "Baghlan",
        P["svg"] + P["bidi"],
        "taliban",
        "taliban",
        "asserts",
        "h-svg;h-md",
        P["md_img"],
        P["md_link"] + P["md_icon"],
    ),
    (
        "h4",
        "2021-08-22",
        "AF0907",
        "",
        P["entity"],
        "resistance",
        "resistance",
        "denies",
        "h-dari",
        P["bidi"],
        P["entity"] + P["a_js"],
    ),
    ("h5", "2021-08-22", "AF0912", "", "", "taliban", "taliban", "asserts", "h-md;h-dari", "", P["breakout"]),
]
aliases = [
    ("kind", "alias", "province", "pcode", "note"),
    ("district", P["img"], "Baghlan", "AF0908", P["script"] + P["md_img"]),
]


def write(name, header, rows):
    with (out / name).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        if header:
            w.writerow(header)
        w.writerows(rows)


write("sources.csv", ("id", "outlet", "url", "published", "language", "kind", "summary"), sources)
write(
    "claims.csv",
    (
        "id",
        "date",
        "district",
        "province",
        "reported_as",
        "controller",
        "claimed_by",
        "stance",
        "source_ids",
        "date_note",
        "note",
    ),
    claims,
)
write("aliases.csv", None, aliases)
(out / "README.md").write_text(
    "Hostile fixture: a *valid* timeline whose every free-text field carries script tags, event\n"
    "handlers, javascript:/data: links inside text, markdown images and links, Streamlit icon and\n"
    "colour directives, LaTeX, quotes, backticks, blank lines and Unicode bidi controls. URLs are\n"
    "http(s) (validation refuses the rest) but carry quotes and markup. The CSVs are written by\n"
    "generate.py in this folder: the control characters are easier to keep exact in code.\n",
    encoding="utf-8",
)
