"""The evidence ledger for one district: status at a date, then every claim and its sources.

Pure HTML building (no Streamlit), so it can be tested directly. Every piece of text from the
data or the boundary files goes through ``safe_text.html_text`` (HTML and markdown escaping);
links are emitted only for http(s) URLs and open in a new tab without giving the new page a
handle on this one.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping, Sequence

from components.i18n import (
    AFFILIATION_DA,
    STATE_NAMES_DA,
    claimant_label,
    confidence_label,
    controller_label,
    date_text,
    number,
    source_kind_label,
    t,
)
from components.safe_text import html_text
from geo import settings
from geo._claims import voice_groups
from geo._validate import url_host
from geo.control import DistrictState
from geo.outlets import GRADES, Outlet, affiliation_label, unregistered
from geo.timeline import Claim, Source

_controller = controller_label
# Text taken as written from data/ or the boundary files (names, summaries, notes, hosts, codes)
# carries this attribute: it is not the interface's to translate, and the Dari-page tests skip it.
VERBATIM = "data-verbatim"


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
.cm-ledger .grade { display: inline-block; min-width: 1.2em; text-align: center; border-radius: .3rem;
  font-weight: 700; font-size: .8rem; padding: 0 .25rem; border: 1px solid #999; }
.cm-ledger .grade-A, .cm-ledger .grade-B { background: #dff0d8; }
.cm-ledger .grade-C { background: #fcf8e3; }
.cm-ledger .grade-D, .cm-ledger .grade-E, .cm-ledger .grade-F { background: #f2dede; }
.cm-ledger .lang-label { display: inline-block; padding: 0 .3rem; border-radius: .3rem; background: #eee;
  font-size: .75rem; color: #444; }
.cm-ledger .scope { display: inline-block; padding: 0 .35rem; border-radius: .3rem; background: #e8e0f5;
  font-size: .8rem; margin-left: .3rem; }
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


def _date(value: dt.date | None, lang: str = "en") -> str:
    return date_text(value, lang) if value else t("date_not_shown", lang)


def _verbatim(text: str, *, ltr: bool = False) -> str:
    """Data text shown as written, marked for what it is (its own direction, and English if Latin)."""
    direction = ' dir="ltr"' if ltr else ' dir="auto"'
    return f"<span {VERBATIM}{direction}>{_e(text)}</span>"


def _translated(english: str, dari: str, lang: str, *, block: bool = False) -> str:
    """A summary or note in the page's language: the Dari text in the Dari view, else the English.

    Where the Dari text is missing the English is shown with a visible "English" label, so a Dari
    reader knows the text is not yet translated (and the page does not pass English off as Dari).
    """
    tag = "div" if block else "span"
    if lang == "da" and dari:
        return f'<{tag} class="text-da" dir="rtl" lang="fa" {VERBATIM}>{_e(dari)}</{tag}>'
    if not english:
        return ""
    if lang == "da":
        label = f'<span class="lang-label" data-fallback="en">{_e(t("in_english", lang))}</span>'
        return f'<{tag} class="text-en">{label} <span dir="ltr" lang="en" {VERBATIM}>{_e(english)}</span></{tag}>'
    return f'<{tag} dir="auto" {VERBATIM}>{_e(english)}</{tag}>'


def _published_html(source: Source, lang: str) -> str:
    """The page's publication date; else the note saying why it has none; else that it was not checked."""
    if source.published:
        return _e(date_text(source.published, lang))
    if source.published_note:
        return f'<span class="published-note" data-published-note="1">{_verbatim(source.published_note)}</span>'
    return f'<span class="published-unchecked">{_e(t("date_not_checked", lang))}</span>'


OutletLookup = Callable[[str], Outlet]


def _names_html(name_en: str, name_da: str, lang: str) -> str:
    """The district's two names, the page's language first."""
    english = f'<span dir="ltr" lang="en" {VERBATIM}>{_e(name_en)}</span>'
    dari = f'<span dir="rtl" lang="fa">{_e(name_da)}</span>'
    return f"{dari} {english}" if lang == "da" else f"{english} {dari}"


def _standing_html(outlet: Outlet, lang: str) -> str:
    """``Russian state media · C``: the outlet's affiliation and its Admiralty grade."""
    grade = _e(outlet.reliability)
    return (
        f'<span class="affiliation">{_e(affiliation_text(outlet, lang))}</span> · '
        f'<span class="grade grade-{grade}" data-grade="{grade}" title="{_e(t("grade_title", lang))}">{grade}</span>'
    )


def _outlet_html(outlet: Outlet, lang: str) -> str:
    """``TASS · Russian state media · C``."""
    name = f'<span class="outlet" data-outlet="{_e(outlet.id)}" {VERBATIM}>{_e(outlet.name)}</span>'
    return f"{name} · {_standing_html(outlet, lang)}"


def affiliation_text(outlet: Outlet, lang: str) -> str:
    """The outlet's affiliation in words (``Russian state media``), in the page's language."""
    label = affiliation_label(outlet.affiliation)
    if lang != "da":
        return label
    if outlet.affiliation.startswith("state:"):
        code = outlet.affiliation.removeprefix("state:")
        return t("state_media", lang, state=STATE_NAMES_DA.get(code, code))
    if outlet.affiliation.startswith("aligned:"):
        code = outlet.affiliation.removeprefix("aligned:")
        return t("aligned_with", lang, state=STATE_NAMES_DA.get(code, code))
    return AFFILIATION_DA.get(outlet.affiliation, label)


def source_rank(source: Source, outlet: OutletLookup) -> tuple:
    """Sort key, strongest first: the voice's grade, an independent voice first, then newest page."""
    voice = outlet(source.voice)
    grade = GRADES.index(voice.reliability) if voice.reliability in GRADES else len(GRADES)
    published = source.published.toordinal() if source.published else 0
    return (grade, voice.affiliation != "independent", -published, source.id)


def scope_label(claim: Claim, names: Mapping[str, str], lang: str) -> str:
    """``Province-wide: Baghlan (except Deh Salah)``, ``All provincial capitals (except …)``; '' for a district's."""
    if claim.scope == "district":
        return ""
    where = t("province_wide", lang) + ": " + names.get(claim.pcode, claim.pcode)
    if claim.scope == "country":
        where = t("country_wide", lang)
    elif claim.scope == "capitals":
        where = t("all_capitals", lang)
    if claim.excluded:
        left_out = sorted(names.get(p, p) for p in claim.excluded)
        comma = "، " if lang == "da" else ", "
        more = f" +{number(len(left_out) - 8, lang)}" if len(left_out) > 8 else ""
        shown = comma.join(left_out[:8]) + more
        where += f" ({t('except', lang)} {shown})"
    return where


def claim_open(claim: Claim, *, counter: bool) -> str:
    """The claim block's opening tag: the one part that differs between a claim and a counter-claim."""
    return (
        f'<div class="claim{" counter" if counter else ""}" data-claim="{_e(claim.id)}" data-scope="{_e(claim.scope)}">'
    )


def _claim_html(
    claim: Claim,
    sources: Mapping[str, Source],
    *,
    counter: bool,
    lang: str = "en",
    outlet: OutletLookup = unregistered,
    names: Mapping[str, str] | None = None,
) -> str:
    return claim_open(claim, counter=counter) + claim_body(claim, sources, lang=lang, outlet=outlet, names=names)


def claim_body(
    claim: Claim,
    sources: Mapping[str, Source],
    *,
    lang: str = "en",
    outlet: OutletLookup = unregistered,
    names: Mapping[str, str] | None = None,
) -> str:
    """A claim and its sources (date-independent), closing the block that ``claim_open`` opened."""
    side = claimant_label(claim.claimed_by, lang)
    verb = t("denies" if claim.stance == "denies" else "asserts", lang)
    controller = _controller(claim.controller, lang)
    parts = [f"<div><strong>{_e(date_text(claim.date, lang))}</strong> · {_e(side)} {_e(verb)}: {_e(controller)}"]
    if claim.scope != "district":
        parts.append(f' <span class="scope">{_e(scope_label(claim, names or {}, lang))}</span>')
    if claim.reported_as:
        parts.append(f' <span class="muted">({_e(t("reported_as", lang))} “{_verbatim(claim.reported_as)}”)</span>')
    parts.append("</div>")
    note = _translated(claim.note, claim.note_da, lang, block=True)
    if note:
        parts.append(note)
    if claim.date_note:
        parts.append(f'<div class="muted" dir="auto">{_e(t("date_note", lang))}: {_verbatim(claim.date_note)}</div>')
    parts.append("<ul>")
    missing = [sid for sid in claim.source_ids if sid not in sources]
    found = sorted((sources[sid] for sid in claim.source_ids if sid in sources), key=lambda s: source_rank(s, outlet))
    for src in found:
        own = outlet(src.outlet)
        relay = ""
        if src.original:
            relay = (
                f' <span class="relay">· {_e(t("relaying", lang))} {_outlet_html(outlet(src.original), lang)}</span>'
            )
        # the real host beside the link: what the reader's browser will open, whatever the label says
        parts.append(
            f'<li data-source="{_e(src.id)}" data-voice="{_e(src.voice)}" dir="auto">'
            f"{_safe_link(src.url, own.name)}"
            f' <span class="host" dir="ltr" {VERBATIM}>({_e(url_host(src.url))})</span>'
            f" · {_standing_html(own, lang)}{relay}"
            f' <span class="muted">({_published_html(src, lang)}{"، " if lang == "da" else ", "}'
            f"{_e(source_kind_label(src.kind, lang))})</span> — {_translated(src.summary, src.summary_da, lang)}</li>"
        )
    for sid in missing:
        parts.append(f"<li>{_e(t('missing_source', lang))} {_verbatim(sid)}</li>")
    parts.append("</ul></div>")
    return "".join(parts)


# Where the status header's shown date goes: a private-use character that no label contains. The
# app fills it in Python; the static site's viewer puts the date there with textContent.
DATE_SLOT = "\ue000"
SECTIONS = ("sec_claims", "sec_counter", "sec_earlier", "sec_later")


def ledger_head(*, pcode: str, name_en: str, name_da: str, province: str, lang: str) -> str:
    """The ledger's opening: its container (left open) with the district's names, province and PCODE."""
    direction = ' dir="rtl" lang="fa"' if lang == "da" else ""
    return (
        f'<div class="cm-ledger" data-pcode="{_e(pcode)}"{direction}>'
        f'<div class="cm-h3" role="heading" aria-level="3">{_names_html(name_en, name_da, lang)}</div>'
        f'<div class="muted"><span {VERBATIM}>{_e(province)}</span> · <span {VERBATIM}>{_e(pcode)}</span></div>'
    )


def status_html(state: DistrictState, *, has_history: bool, sources: Mapping[str, Source], lang: str) -> str:
    """The status box for ``state``, with ``DATE_SLOT`` where the shown date goes."""
    colour = settings.CONTROLLER_COLOURS.get(state.controller, "#999")
    label = _controller(state.controller, lang)
    out = [f'<div class="status" style="--c:{_e(colour)}"><strong>{DATE_SLOT}: {_e(label)}</strong>']
    if state.confidence:
        confidence = confidence_label(state.confidence, lang)
        out.append(f'<span class="badge" data-confidence="{_e(state.confidence)}">{_e(confidence)}</span>')
    if state.since:
        semicolon = "؛ " if lang == "da" else "; "
        out.append(
            f"<div>{t('since', lang)} {_e(date_text(state.since, lang))}{semicolon}"
            f"{t('last', lang)} {_e(_date(state.last_evidence, lang))}</div>"
        )
        voices = voice_groups(tuple(s for c in state.claims for s in c.source_ids), sources)  # a relay circle is one
        out.append(
            f'<div class="voices" data-voices="{len(voices)}">{_e(t("voices", lang))}: {number(len(voices), lang)}'
        )
        if state.precision and state.precision != "district":
            out.append(
                f' · <span class="scope" data-precision="{_e(state.precision)}">{_e(t("broad_only", lang))}</span>'
            )
        out.append("</div>")
    elif not has_history:
        out.append(f"<div>{t('none', lang)}</div>")
    out.append("</div>")
    return "".join(out)


def ledger_sections(state: DistrictState, history: Sequence[Claim], date: dt.date) -> list[tuple[str, list[Claim]]]:
    """Each section's title key and its claims in the order shown (latest first; later evidence: nearest first)."""
    shown = {c.id for c in (*state.claims, *state.counter_claims)}
    sections = [
        ("sec_claims", state.claims),
        ("sec_counter", state.counter_claims),
        ("sec_earlier", [c for c in history if c.date <= date and c.id not in shown]),
        ("sec_later", [c for c in history if c.date > date]),
    ]
    return [
        (title, sorted(claims, key=lambda c: (c.date, c.id), reverse=title != "sec_later"))
        for title, claims in sections
    ]


def section_frame(title: str, count: int, lang: str) -> tuple[str, str]:
    """The HTML before and after a section's claim blocks: its heading (with the count), and its end."""
    heading = f"{_e(t(title, lang))} ({number(count, lang)})"
    if title in ("sec_earlier", "sec_later"):
        return f"<details><summary>{heading}</summary>", "</details>"
    return f'<div class="cm-h4" role="heading" aria-level="4">{heading}</div>', ""


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
    outlet: OutletLookup = unregistered,
    names: Mapping[str, str] | None = None,
    limit: int | None = None,
) -> str:
    """Return the ledger HTML for one district at ``date``.

    ``history`` is every claim about the district (its own and the broad claims covering it);
    claims after ``date`` are listed separately as later evidence so the view never mixes
    hindsight into the status. ``outlet`` looks up an outlet id (grade and affiliation);
    ``names`` gives district and province names by PCODE, for broad claims' labels.

    Each section lists the latest claims first (later evidence: the nearest first). With
    ``limit``, a section shows at most that many and says how many more "Show all" would list,
    so a busy district's ledger stays small on every date step.
    """
    out = [
        LEDGER_CSS,
        ledger_head(pcode=pcode, name_en=name_en, name_da=name_da, province=province, lang=lang),
        status_html(state, has_history=bool(history), sources=sources, lang=lang).replace(
            DATE_SLOT, _e(date_text(date, lang))
        ),
    ]
    for title, ordered in ledger_sections(state, history, date):
        if not ordered:
            continue
        total = len(ordered)
        hidden = max(0, total - limit) if limit is not None else 0
        ordered = ordered[: total - hidden]
        counter = title == "sec_counter"
        body = "".join(_claim_html(c, sources, counter=counter, lang=lang, outlet=outlet, names=names) for c in ordered)
        if hidden:
            more = t("more_later" if title == "sec_later" else "more_older", lang, n=hidden)
            body += f'<div class="muted more" data-hidden="{hidden}">{_e(more)}</div>'
        before, after = section_frame(title, total, lang)
        out.append(before + body + after)
    out.append("</div>")
    return "".join(out)
