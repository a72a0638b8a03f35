"""The methodology page: what the map's colours mean, how sources are weighed, what is missing."""

import streamlit as st

from components import app_data
from geo import settings
from geo.outlets import GRADE_RUBRIC

GRADES_TABLE = "\n".join(f"- **{grade}**: {text}" for grade, text in GRADE_RUBRIC.items())
PARTIES = ", ".join(sorted(settings.PARTY_STATES)) + " (and the Afghan sides themselves)"

METHODOLOGY = f"""
### What "control" means here

A district is coded to the armed group that a source says holds its **district centre** (the
district governor's compound, police headquarters and bazaar), not every village in it. This is
the convention of the district-control maps journalists already know, and it is what 2021 reports
actually describe ("the Taliban captured the district centre of…"). A district is **contested**
when a source reports fighting for the centre with neither side holding it.

Groups: **Taliban**; **resistance** (the National Resistance Front and local anti-Taliban uprising
forces after 15 August 2021); **government** (the forces of the Islamic Republic until its
collapse). A district with no sourced claim is **unknown**: grey on the map, never a guess.

### Claimed, confirmed, disputed

Each row of the timeline is one *claim*: a report that a district was, or was not, held by a group
on a date, attributed to the side that makes it (Taliban, resistance, government, or independent
reporting). A claim covers one district, or a whole province or the whole country with a list of
the districts it leaves out ("every district of Badakhshan except Faizabad" is one claim). A
broad claim counts for each district it covers until newer evidence replaces it; on the same day,
a claim about the district itself wins over a province-wide one, and that over a country-wide one.
For a chosen date, only claims dated on or before it count. The controller is the one asserted
most recently; if claimants assert different controllers on the same day, an independent report
settles it, otherwise the district is contested. Then:

- **confirmed** (solid): a supporting claim is the reporting of an **independent outlet graded
  A–C**, or a side **conceding a loss** (a government official saying a city fell), carried by an
  outlet graded A–C that is not the state media of a state outside the fighting;
- **claimed** (lighter, dashed border): only the side said to be in control asserts it, or the
  status rests only on outlets graded D–F, or only on state media of a state not party to the
  fighting (for example Russian, Iranian or Chinese state media);
- **disputed** (hatched): within {settings.DISPUTE_WINDOW_DAYS} days someone denies it, or someone
  asserts a different controller since it began. The ledger lists both sides.

A repost and its original are **one voice**: a page that relays another outlet's report (UrduPoint
relaying Sputnik, a mirror copying TOLOnews) speaks with the original's voice and grade, and
corroboration counts distinct original outlets, never pages. A district whose status rests only on
province- or country-wide claims has a dotted white outline on the map.

### Outlets and grades

Every source names its outlet, and the original outlet when it relays one. Each outlet has an
affiliation (independent, Afghan government, Taliban, resistance, or the state media of a named
country) and an **Admiralty source grade**, judged for reporting on Afghanistan in 2021, with a
one-line reason in the register (`data/outlets.csv`):

{GRADES_TABLE}

A side's own outlet is graded like any other, but its statements are that side's claims whatever
its grade. States counted as party to the fighting in 2021: {PARTIES}.

"Since" is the first day of the current run of that controller; "last evidence" is the newest claim
about the district up to the chosen date. Old evidence is not refreshed: a fall is often reported,
a quiet recapture often is not.

### How sources are chosen and weighed

- Every claim cites at least one published page with a real URL, found in stored copies of the
  public pages and checked against their content. No URL is typed from memory or "repaired".
- Independent outlets graded A–C are preferred (wires such as Reuters, AP and AFP; Afghan
  newsrooms such as TOLOnews and Pajhwok), with two independent originals for a change of hands
  where the stored pages hold them. A statement by a party's spokesman is recorded as that party's
  claim even when a wire carries it.
- When sources disagree, on the date or on who holds a district, **both claims are kept**, each
  with its side, and the disagreement is noted on the claim.
- The date of a claim is the date the situation is said to hold, not the publication date; where
  outlets differ, the best-supported date is used and the other is given in the claim's date note.
- Summaries and notes are our own words, never copied text.

### Known gaps

- Most districts have no dated claim in the period and stay unknown; the timeline concentrates on
  provincial capitals, Kabul, Baghlan's Andarab valley and Panjshir.
- Several Andarab-valley districts (Khinjan, Khost wa Fereng, Fereng wa Gharu, Nahrin, Burka)
  have little or no dated reporting; Andarab itself has no dated control report after early September.
- After about 10 September, Panjshir reporting is province-wide (the Taliban claim all of it, the
  resistance claims side valleys) rather than district by district.
- Some pages are republications of wire copy on third-party sites; they carry the original
  outlet's voice and are replaced by the original wherever the stored pages hold it.
- `python -m geo audit` lists, for editors, each claim's distinct voices, best grade and flags
  (single voice, only weak outlets, no publication date), and the districts known on key dates.
- "Abshar" in Taliban statements is read as the centre of Dara district (a reviewed alias).
- A few Baghlan side districts have only May–June 2021 reports (falls and retakes); they are
  kept as the last known state before August, so the timeline starts in May.

### Boundaries

{settings.ATTRIBUTION} 399 districts and 34 provinces with Dari names; the layer is the
2018 edition, so district names follow it even where 2021 reports used other names (the
gazetteer maps reported spellings to official PCODEs).
"""


def render() -> None:
    """Render the methodology page with live counts from the timeline."""
    st.title("Methodology")
    timeline = app_data.timeline()
    districts = len(timeline.by_district)
    st.markdown(
        f"The timeline holds **{len(timeline.claims)} claims** from **{len(timeline.sources)} sources** about "
        f"**{districts} districts**, {timeline.start} to {timeline.end}."
    )
    st.markdown(METHODOLOGY)
