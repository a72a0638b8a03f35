"""Afghan solar (Solar Hijri) dates: conversion, Afghan month names and Persian digits. No Streamlit.

Afghanistan counts days in the Solar Hijri calendar, with the zodiac month names (حمل, ثور, …,
حوت) rather than Iran's (فروردین, …). The arithmetic is the same in both countries (six months of
31 days, five of 30, then 29 or 30), and comes from ``jdatetime`` (a maintained library, pinned in
requirements.txt). Share links and data files keep ISO dates; this is only for display.
"""

from __future__ import annotations

import datetime as dt

import jdatetime

AFGHAN_MONTHS: tuple[str, ...] = (
    "حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت",
)  # fmt: skip
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def to_solar(day: dt.date) -> tuple[int, int, int]:
    """Return the Solar Hijri (year, month 1–12, day) of a Gregorian date."""
    solar = jdatetime.date.fromgregorian(date=day)
    return solar.year, solar.month, solar.day


def from_solar(year: int, month: int, day: int) -> dt.date:
    """Return the Gregorian date of a Solar Hijri date; ``ValueError`` if no such day exists."""
    return jdatetime.date(year, month, day).togregorian()


def persian_digits(text: object) -> str:
    """Write every ASCII digit of ``text`` as a Persian (Extended Arabic-Indic) digit."""
    return str(text).translate(_PERSIAN_DIGITS)


def latin_digits(text: str) -> str:
    """Write every Persian digit of ``text`` as an ASCII digit (the inverse of ``persian_digits``)."""
    return text.translate(_LATIN_DIGITS)


def solar_text(day: dt.date) -> str:
    """``۲۴ اسد ۱۴۰۰``: the Solar Hijri date with the Afghan month name, in Persian digits."""
    year, month, mday = to_solar(day)
    return persian_digits(f"{mday} {AFGHAN_MONTHS[month - 1]} {year}")


def dual_text(day: dt.date) -> str:
    """``۲۴ اسد ۱۴۰۰ (۲۰۲۱/۰۸/۱۵)``: the solar date with the Gregorian (year/month/day) beside it.

    The Gregorian part keeps ISO order, so a reader of either calendar can check it, and the
    map's script can read the ISO date back from the slider's label. Slashes, not hyphens: in
    right-to-left text a hyphen between Persian digits splits the number and reorders its parts,
    a slash keeps it one run.
    """
    return f"{solar_text(day)} ({persian_digits(day.strftime('%Y/%m/%d'))})"


def solar_month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The Gregorian dates of every first of a solar month from ``start`` to ``end`` inclusive."""
    year, month, _ = to_solar(start)
    found: list[dt.date] = []
    while True:
        first = from_solar(year, month, 1)
        if first > end:
            return found
        if first >= start:
            found.append(first)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
