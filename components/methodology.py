"""The methodology page: what the map's colours mean, how sources are weighed, what is missing."""

import streamlit as st

from components import app_data
from geo import settings

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
reporting). For a chosen date, only claims dated on or before it count. The controller is the one
asserted most recently; if claimants assert different controllers on the same day, an independent
report settles it, otherwise the district is contested. Then:

- **confirmed** (solid): at least one supporting claim is independent, or comes from a side
  conceding a loss (a government official saying a city fell counts against interest);
- **claimed** (lighter, dashed border): only the side said to be in control asserts it;
- **disputed** (hatched): within {settings.DISPUTE_WINDOW_DAYS} days someone denies it, or someone
  asserts a different controller since it began. The ledger lists both sides.

"Since" is the first day of the current run of that controller; "last evidence" is the newest claim
about the district up to the chosen date. Old evidence is not refreshed: a fall is often reported,
a quiet recapture often is not.

### How sources are chosen and weighed

- Every claim cites at least one published page with a real URL, found in stored copies of the
  public pages and checked against their content. No URL is typed from memory or "repaired".
- Wires (AP, Reuters, AFP, Xinhua, TASS, Sputnik, ANI/IANS), national and regional newspapers and
  broadcasters (TOLOnews, Khaama Press) are preferred. A statement by a party's
  spokesman is recorded as that party's claim even when a wire carries it.
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
- Some pages are republications of wire copy on third-party sites; the outlet field names the
  original agency. Replacing them with the originating outlet is ongoing work.
- Province-wide statements ("all of Logar") are recorded as one claim per district.
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
    districts = len({c.pcode for c in timeline.claims})
    st.markdown(
        f"The timeline holds **{len(timeline.claims)} claims** from **{len(timeline.sources)} sources** about "
        f"**{districts} districts**, {timeline.start} to {timeline.end}."
    )
    st.markdown(METHODOLOGY)
