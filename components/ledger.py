"""The evidence ledger for one district: status at a date, then every claim and its sources.

Pure HTML building (no Streamlit), so it can be tested directly. Every piece of text from the
data or the boundary files goes through ``safe_text.html_text`` (HTML and markdown escaping);
links are emitted only for http(s) URLs and open in a new tab without giving the new page a
handle on this one.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence

from components.i18n import CONFIDENCE_DA, CONTROLLER_LABELS_DA, t
from components.safe_text import html_text
from geo import settings
from geo.control import DistrictState
from geo.timeline import Claim, Source

_CLAIMANT_LABEL = {
    "taliban": "Taliban",
    "resistance": "Resistance",
    "government": "Government",
    "independent": "Independent",
}
_CLAIMANT_DA = {"taliban": "طالبان", "resistance": "مقاومت", "government": "حکومت", "independent": "منبع مستقل"}


def _controller(controller: str, lang: str) -> str:
    labels = CONTROLLER_LABELS_DA if lang == "da" else settings.CONTROLLER_LABELS
    return labels.get(controller, controller)


LEDGER_CSS = """
<style>
.cm-ledger { font-size: 0.92rem; }
.cm-ledger .cm-h3 { font-size: 1.4rem; font-weight: 700; margin: 0 0 .2rem 0; }
.cm-ledger .cm-h4 { font-size: 1.05rem; font-weight: 600; margin: .6rem 0 .2rem 0; }
.cm-ledger .status { padding: .45rem .6rem; border-left: 6px solid var(--c); background: #f6f6f6; margin: .4rem 0; }
.cm-ledger .badge { display: inline-block; padding: 0 .4rem; border-radius: .6rem; background: #333; color: #fff;
  font-size: .78rem; margin-left: .3rem; }
.cm-ledger .claim { border-top: 1px solid #ddd; padding: .35rem 0; }
.cm-ledger .claim.counter { background: #fff6f0; }
.cm-ledger ul { margin: .15rem 0 .15rem 1.1rem; padding: 0; }
.cm-ledger .muted { color: #666; }
</style>
"""


_e = html_text


def _safe_link(url: str, text: str) -> str:
    """A link for an http(s) URL without whitespace (validation guarantees both), else plain text."""
    if url.lower().startswith(("http://", "https://")) and not any(ch.isspace() for ch in url):
        # The href is attribute-escaped only, so it stays copyable; inside the one-line HTML
        # block that Streamlit's markdown parser leaves raw, markdown cannot reach it.
        attrs = 'target="_blank" rel="noopener noreferrer nofollow"'
        return f'<a href="{html.escape(url, quote=True)}" {attrs}>{_e(text)}</a>'
    return _e(text)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else "date not shown"


def _claim_html(claim: Claim, sources: Mapping[str, Source], *, counter: bool, lang: str = "en") -> str:
    side = (_CLAIMANT_DA if lang == "da" else _CLAIMANT_LABEL).get(claim.claimed_by, claim.claimed_by)
    verb = t("denies" if claim.stance == "denies" else "asserts", lang)
    controller = _controller(claim.controller, lang)
    parts = [
        f'<div class="claim{" counter" if counter else ""}" data-claim="{_e(claim.id)}">',
        f"<div><strong>{_e(claim.date.isoformat())}</strong> · {_e(side)} {_e(verb)}: {_e(controller)}",
    ]
    if claim.reported_as:
        parts.append(f' <span class="muted">(reported as “{_e(claim.reported_as)}”)</span>')
    parts.append("</div>")
    # Notes and summaries are English even in the Dari view: each block takes its own direction.
    if claim.note:
        parts.append(f'<div dir="auto">{_e(claim.note)}</div>')
    if claim.date_note:
        parts.append(f'<div class="muted" dir="auto">Date: {_e(claim.date_note)}</div>')
    parts.append("<ul>")
    for sid in claim.source_ids:
        src = sources.get(sid)
        if src is None:
            parts.append(f"<li>missing source {_e(sid)}</li>")
            continue
        parts.append(
            f'<li data-source="{_e(src.id)}" dir="auto">{_safe_link(src.url, src.outlet)}'
            f' <span class="muted">({_e(_date(src.published))}, {_e(src.kind)})</span> — {_e(src.summary)}</li>'
        )
    parts.append("</ul></div>")
    return "".join(parts)


def ledger_html(
    *,
    pcode: str,
    name_en: str,
    name_da: str,
    province: str,
    state: DistrictState,
    history: Sequence[Claim],
    sources: Mapping[str, Source],
    date: dt.date,
    lang: str = "en",
) -> str:
    """Return the ledger HTML for one district at ``date``.

    ``history`` is every claim about the district; claims after ``date`` are listed separately
    as later evidence so the view never mixes hindsight into the status.
    """
    colour = settings.CONTROLLER_COLOURS.get(state.controller, "#999")
    label = _controller(state.controller, lang)
    direction = ' dir="rtl" lang="fa"' if lang == "da" else ""
    out = [
        LEDGER_CSS,
        f'<div class="cm-ledger" data-pcode="{_e(pcode)}"{direction}>',
        f'<div class="cm-h3" role="heading" aria-level="3"><span dir="ltr" lang="en">{_e(name_en)}</span> ',
        f'<span dir="rtl" lang="fa">{_e(name_da)}</span></div>',
        f'<div class="muted">{_e(province)} · {_e(pcode)}</div>',
        f'<div class="status" style="--c:{_e(colour)}"><strong>{_e(date.isoformat())}: {_e(label)}</strong>',
    ]
    if state.confidence:
        confidence = CONFIDENCE_DA.get(state.confidence, state.confidence) if lang == "da" else state.confidence
        out.append(f'<span class="badge" data-confidence="{_e(state.confidence)}">{_e(confidence)}</span>')
    if state.since:
        out.append(
            f"<div>{t('since', lang)} {_e(state.since.isoformat())}; "
            f"{t('last', lang)} {_e(_date(state.last_evidence))}</div>"
        )
    elif not history:
        out.append(f"<div>{t('none', lang)}</div>")
    out.append("</div>")
    shown = {c.id for c in (*state.claims, *state.counter_claims)}
    sections = [
        ("Claims behind this status", state.claims, False),
        ("Counter-claims", state.counter_claims, True),
        ("Earlier evidence", [c for c in history if c.date <= date and c.id not in shown], False),
        ("Later evidence (after this date)", [c for c in history if c.date > date], False),
    ]
    for title, claims, counter in sections:
        if not claims:
            continue
        ordered = sorted(claims, key=lambda c: (c.date, c.id))
        body = "".join(_claim_html(c, sources, counter=counter, lang=lang) for c in ordered)
        heading = _e(t(title, lang))
        if title.startswith(("Earlier", "Later")):
            out.append(f"<details><summary>{heading} ({len(claims)})</summary>{body}</details>")
        else:
            out.append(f'<div class="cm-h4" role="heading" aria-level="4">{heading} ({len(claims)})</div>{body}')
    out.append("</div>")
    return "".join(out)
