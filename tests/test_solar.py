"""Afghan solar dates: known pairs, month names, digits, and the round trip over the whole period."""

import datetime as dt

import pytest

from geo.solar import (
    AFGHAN_MONTHS,
    dual_text,
    from_solar,
    latin_digits,
    persian_digits,
    solar_month_starts,
    solar_text,
    to_solar,
)

D = dt.date


@pytest.mark.parametrize(
    ("gregorian", "solar"),
    [
        (D(2021, 7, 23), (1400, 5, 1)),  # 1 Asad 1400
        (D(2021, 8, 15), (1400, 5, 24)),  # 24 Asad 1400: Kabul falls
        (D(2021, 3, 21), (1400, 1, 1)),  # Nowruz: 1 Hamal 1400
        (D(2021, 3, 20), (1399, 12, 30)),  # the last day of leap year 1399
        (D(2021, 9, 6), (1400, 6, 15)),  # 15 Sonbola 1400
    ],
)
def test_known_pairs(gregorian, solar):
    assert to_solar(gregorian) == solar
    assert from_solar(*solar) == gregorian


def test_afghan_month_names_and_persian_digits():
    months = ("حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت")
    assert months == AFGHAN_MONTHS
    assert solar_text(D(2021, 7, 23)) == "۱ اسد ۱۴۰۰"
    assert solar_text(D(2021, 8, 15)) == "۲۴ اسد ۱۴۰۰"
    assert dual_text(D(2021, 8, 15)) == "۲۴ اسد ۱۴۰۰ (۲۰۲۱/۰۸/۱۵)"
    assert persian_digits("2021-08-15") == "۲۰۲۱-۰۸-۱۵" and latin_digits("۲۰۲۱/۰۸/۱۵") == "2021/08/15"


def test_every_day_of_the_period_round_trips_and_advances():
    day, before = D(2021, 1, 1), None
    while day <= D(2022, 12, 31):
        solar = to_solar(day)
        assert from_solar(*solar) == day
        if before is not None:
            y, m, d = before
            assert solar in ((y, m, d + 1), (y, m + 1, 1), (y + 1, 1, 1))
        before, day = solar, day + dt.timedelta(days=1)


def test_month_starts_in_a_range():
    starts = solar_month_starts(D(2021, 5, 1), D(2021, 9, 30))
    assert [to_solar(d)[1:] for d in starts] == [(3, 1), (4, 1), (5, 1), (6, 1), (7, 1)]
    assert starts[2] == D(2021, 7, 23)


def test_no_such_solar_day_is_refused():
    with pytest.raises(ValueError):
        from_solar(1400, 12, 30)  # 1400 is not a leap year
