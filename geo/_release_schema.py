"""The Table Schemas of the open data release: field types, constraints and descriptions.

Kept apart from ``geo.release`` (which builds the tables) so the long texts stay out of the logic.
A column of ``data/`` that is not described here is published as a string with a generic description,
so a column added to the data later is never dropped from the release.
"""

from __future__ import annotations

from geo import settings
from geo.outlets import GRADES

CLAIM_FIELDS: dict[str, dict] = {
    "id": {"type": "string", "description": "The claim's unique id.", "constraints": {"required": True}},
    "date": {
        "type": "date",
        "description": "The day the claim says control held or changed (ISO date).",
        "constraints": {"required": True},
    },
    "scope": {
        "type": "string",
        "description": "What the claim covers: district (empty means district), capitals (all 34 provincial capitals), "
        "province or country.",
        "constraints": {"enum": list(settings.SCOPES)},
    },
    "district": {"type": "string", "description": "The district's PCODE (see districts.csv); empty for broad claims."},
    "province": {"type": "string", "description": "The province as written by the editor (name or PCODE)."},
    "except": {"type": "string", "description": "What a broad claim leaves out, separated by ';'."},
    "reported_as": {"type": "string", "description": "The place name as the source wrote it."},
    "controller": {
        "type": "string",
        "description": "Who the claim says controls the place.",
        "constraints": {"required": True, "enum": list(settings.CONTROLLERS)},
    },
    "claimed_by": {
        "type": "string",
        "description": "Whose claim it is.",
        "constraints": {"required": True, "enum": list(settings.CLAIMANTS)},
    },
    "stance": {
        "type": "string",
        "description": "asserts: the controller holds the place; denies: the controller does not.",
        "constraints": {"required": True, "enum": list(settings.STANCES)},
    },
    "source_ids": {
        "type": "string",
        "description": "The ids of the sources behind the claim (sources.csv), separated by ';'.",
        "constraints": {"required": True},
    },
    "date_note": {"type": "string", "description": "How the date was established."},
    "note": {"type": "string", "description": "The editor's summary of the claim."},
    "note_da": {"type": "string", "description": "The same note in Dari."},
}

SOURCE_FIELDS: dict[str, dict] = {
    "id": {"type": "string", "description": "The source's unique id.", "constraints": {"required": True}},
    "outlet": {
        "type": "string",
        "description": "The outlet that published the page (outlets.csv).",
        "constraints": {"required": True},
    },
    "original": {"type": "string", "description": "The outlet whose report this page relays, if any (outlets.csv)."},
    "url": {"type": "string", "description": "The page's address (http or https).", "constraints": {"required": True}},
    "published": {"type": "date", "description": "The page's publication date, when known (ISO date)."},
    "language": {"type": "string", "description": "The page's language (ISO 639-1)."},
    "kind": {
        "type": "string",
        "description": "The kind of publisher.",
        "constraints": {"enum": list(settings.SOURCE_KINDS)},
    },
    "summary": {"type": "string", "description": "What the page reports, in the editor's words."},
    "summary_da": {"type": "string", "description": "The same summary in Dari."},
    "published_note": {
        "type": "string",
        "description": "Why published is empty: the page shows no date, only part of one, or was not found.",
    },
}

OUTLET_FIELDS: dict[str, dict] = {
    "id": {"type": "string", "description": "The outlet's unique id.", "constraints": {"required": True}},
    "name": {"type": "string", "description": "The outlet's name."},
    "domains": {"type": "string", "description": "The web domains the outlet publishes on, separated by ';'."},
    "country": {"type": "string", "description": "The country the outlet is based in (ISO 3166-1 alpha-2)."},
    "affiliation": {
        "type": "string",
        "description": "independent, afghan-government, taliban, resistance, unknown, or state:CC for state media.",
    },
    "reliability": {
        "type": "string",
        "description": "Admiralty source grade, A (completely reliable) to F (cannot be judged).",
        "constraints": {"enum": list(GRADES)},
    },
    "rationale": {"type": "string", "description": "Why the outlet has that grade."},
}

DISTRICT_FIELDS: dict[str, dict] = {
    "pcode": {"type": "string", "description": "The district's PCODE (AGCHO 2018).", "constraints": {"required": True}},
    "name_en": {"type": "string", "description": "The district's English name."},
    "name_da": {"type": "string", "description": "The district's Dari name."},
    "province_pcode": {"type": "string", "description": "The province's PCODE.", "constraints": {"required": True}},
    "province_en": {"type": "string", "description": "The province's English name."},
    "province_da": {"type": "string", "description": "The province's Dari name."},
}

_CONFIDENCE = {
    "type": "string",
    "description": "confirmed, claimed or disputed; empty when the controller is unknown.",
    "constraints": {"enum": list(settings.CONFIDENCES)},
}
_PRECISION = {
    "type": "string",
    "description": "The narrowest scope of the evidence behind the status: district, province or country; "
    "empty when the controller is unknown.",
    "constraints": {"enum": list(settings.SCOPES)},
}
_CONTROLLER = {"type": "string", "constraints": {"required": True, "enum": list(settings.CONTROLLERS)}}

CONTROL_FIELDS: dict[str, dict] = {
    "pcode": {"type": "string", "description": "The district's PCODE.", "constraints": {"required": True}},
    "start": {
        "type": "date",
        "description": "The first day of the period (inclusive). The first period of every district starts on "
        "the timeline's first claim date; before it every district is unknown.",
        "constraints": {"required": True},
    },
    "end": {"type": "date", "description": "The last day of the period (inclusive); empty for the current period."},
    "controller": {**_CONTROLLER, "description": "Who controls the district in the period."},
    "confidence": _CONFIDENCE,
    "precision": _PRECISION,
}

CHANGE_FIELDS: dict[str, dict] = {
    "date": {"type": "date", "description": "The day the controller changed.", "constraints": {"required": True}},
    "pcode": {"type": "string", "description": "The district's PCODE.", "constraints": {"required": True}},
    "before": {**_CONTROLLER, "description": "The controller until the day before."},
    "after": {**_CONTROLLER, "description": "The controller from this day."},
    "confidence": {**_CONFIDENCE, "description": "The new status's confidence (empty when it becomes unknown)."},
}


def table_schema(header: list[str], fields: dict[str, dict], source_file: str) -> dict:
    """A Table Schema for ``header``: described fields as given, any other column as a string."""
    out = []
    for name in header:
        spec = fields.get(name) or {"type": "string", "description": f"The column {name} as in {source_file}."}
        out.append({"name": name, **spec})
    return {"fields": out}
