"""English and Dari labels for the interface. Names of places come from the boundary files."""

from __future__ import annotations

LANGS = ("en", "da")
LANG_NAMES = {"en": "English", "da": "دری"}

CONTROLLER_LABELS_DA = {
    "taliban": "طالبان",
    "resistance": "جبهه مقاومت / خیزش مردمی",
    "government": "حکومت جمهوری اسلامی",
    "contested": "مورد منازعه",
    "unknown": "نامعلوم / بدون شواهد",
}
CONFIDENCE_DA = {"confirmed": "تأیید شده", "claimed": "ادعا شده", "disputed": "مورد اختلاف"}

_TEXT = {
    "title": ("Afghanistan district control, 2021", "کنترول ولسوالی‌های افغانستان، ۲۰۲۱"),
    "subtitle": (
        "Who held each district on a given day, and who says so. Click a district for its evidence.",
        "چه کسی هر ولسوالی را در یک روز مشخص در اختیار داشت و چه کسی چنین می‌گوید. "
        "برای دیدن شواهد روی ولسوالی کلیک کنید.",
    ),
    "date": ("Date", "تاریخ"),
    "district": ("District", "ولسوالی"),
    "pick": ("Pick a district, or click one on the map", "یک ولسوالی را انتخاب کنید یا روی نقشه کلیک کنید"),
    "compare": ("Compare with", "مقایسه با"),
    "stale": ("Shade by age of evidence", "رنگ‌آمیزی بر اساس قدامت شواهد"),
    "over_time": ("Over time", "در طول زمان"),
    "changes": ("Changes between dates", "تغییرات بین دو تاریخ"),
    "log": ("Change log", "فهرست تغییرات"),
    "export": ("Export", "خروجی"),
    "language": ("Language", "زبان"),
    # the evidence ledger
    "asserts": ("asserts", "ادعا می‌کند"),
    "denies": ("denies", "رد می‌کند"),
    "since": ("since", "از"),
    "last": ("last evidence", "آخرین شواهد"),
    "none": (
        "No sourced claim about this district yet: shown as unknown, not guessed.",
        "هنوز هیچ ادعای مستندی دربارهٔ این ولسوالی نیست: نامعلوم نشان داده می‌شود، نه حدسی.",
    ),
    "Claims behind this status": ("Claims behind this status", "ادعاهای پشت این وضعیت"),
    "Counter-claims": ("Counter-claims", "ادعاهای مخالف"),
    "Earlier evidence": ("Earlier evidence", "شواهد پیشین"),
    "Later evidence (after this date)": ("Later evidence (after this date)", "شواهد بعدی (پس از این تاریخ)"),
    "province_wide": ("Province-wide", "در سطح ولایت"),
    "country_wide": ("Country-wide", "در سطح کشور"),
    "except": ("except", "به جز"),
    "relaying": ("relaying", "به نقل از"),
    "voices": ("Distinct original outlets behind this status", "رسانه‌های اصلی جداگانه پشت این وضعیت"),
    "broad_only": (
        "rests only on province- or country-wide claims",
        "تنها بر ادعاهای سطح ولایت یا کشور استوار است",
    ),
    "grade_title": (
        "Admiralty source grade: A completely reliable … E unreliable, F cannot be judged",
        "درجهٔ اعتبار منبع: A کاملاً معتبر … E نامعتبر، F قابل ارزیابی نیست",
    ),
    "more_older": (
        "… and {n} older claims, listed with “Show all claims”",
        "… و {n} ادعای قدیمی‌تر، با «نمایش همه ادعاها» فهرست می‌شوند",
    ),
    "more_later": (
        "… and {n} later claims, listed with “Show all claims”",
        "… و {n} ادعای بعدی، با «نمایش همه ادعاها» فهرست می‌شوند",
    ),
    "show_all": ("Show all claims", "نمایش همه ادعاها"),
    "broad_legend": ("only province- or country-wide evidence", "تنها شواهد سطح ولایت یا کشور"),
}


def t(key: str, lang: str) -> str:
    """Return the label ``key`` in ``lang`` ("en" or "da"), English when unknown."""
    en, da = _TEXT[key]
    return da if lang == "da" else en
