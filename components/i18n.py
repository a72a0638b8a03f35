"""The message catalogue: every string the app shows, in English and Dari, and how dates read.

One module, not gettext: there are two languages, kept side by side so a reviewer sees each Dari
string beside its English; placeholders (``{n}``) are checked by tests/test_i18n.py for both;
and nothing has to be compiled (.po to .mo) before the app or the tests can run. Names of places
come from the boundary files; outlet names, summaries and notes come from data/ and are shown as
written (marked ``data-verbatim`` in the ledger, so the Dari-page tests can tell them apart).

In Dari, numbers are written in Persian digits and dates in the Afghan solar calendar with the
Gregorian date beside (``geo.solar``); share links keep ISO dates.
"""

from __future__ import annotations

import datetime as dt
import functools

from geo import settings
from geo.solar import dual_text, persian_digits

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
CLAIMANT_LABELS = {
    "taliban": ("Taliban", "طالبان"),
    "resistance": ("Resistance", "مقاومت"),
    "government": ("Government", "حکومت"),
    "independent": ("Independent", "منبع مستقل"),
}
AFFILIATION_DA = {
    "independent": "مستقل",
    "afghan-government": "حکومت افغانستان",
    "taliban": "طالبان",
    "resistance": "مقاومت",
    "unknown": "وابستگی نامعلوم",
}
# Dari names of the states in settings.STATE_ADJECTIVES and data/outlets.csv, for "Russian state media".
STATE_NAMES_DA = {
    "RU": "روسیه", "IR": "ایران", "CN": "چین", "TR": "ترکیه", "PK": "پاکستان", "US": "امریکا",
    "QA": "قطر", "IN": "هند", "GB": "بریتانیا", "AE": "امارات متحده عربی", "SA": "عربستان سعودی",
    "DE": "آلمان", "FR": "فرانسه", "UZ": "ازبکستان", "TJ": "تاجیکستان", "TM": "ترکمنستان",
    "KZ": "قزاقستان", "AF": "افغانستان", "CU": "کیوبا", "GH": "غنا", "IT": "ایتالیا", "SG": "سنگاپور", "VN": "ویتنام",
}  # fmt: skip
SOURCE_KIND_LABELS = {
    "wire": ("wire", "خبرگزاری"),
    "newspaper": ("newspaper", "روزنامه"),
    "broadcaster": ("broadcaster", "رادیو و تلویزیون"),
    "online": ("online", "رسانهٔ آنلاین"),
    "official": ("official", "اعلامیهٔ رسمی"),
    "social": ("social", "شبکهٔ اجتماعی"),
    "ngo": ("ngo", "نهاد غیردولتی"),
}
GRADE_RUBRIC_DA = {
    "A": "کاملاً معتبر: سابقهٔ طولانی گزارش‌دهی میدانی تأییدشده و اصلاح علنی اشتباهات (به‌ندرت داده می‌شود)",
    "B": "معمولاً معتبر: خبرگزاری‌ها و روزنامه‌های بزرگ با خبرنگار یا گزارشگر در افغانستان",
    "C": "نسبتاً معتبر: رسانه‌های شناخته‌شده‌ای که بیشتر گزارش دیگران را بازنشر می‌کنند یا از دور گزارش "
    "می‌دهند، و رسانه‌های دولتی در رویدادهایی که دولت‌شان در آن نفعی ندارد",
    "D": "معمولاً نامعتبر: رسانه‌های جانب‌دار یا تبلیغاتی، و رسانه‌های دولتی در جایی که دولت‌شان نفعی دارد",
    "E": "نامعتبر: سایت‌های تولید انبوه محتوا، کپی‌کننده‌ها، آینه‌های بی‌نام، وبلاگ‌ها، سایت‌های ربوده‌شده یا هرزنامه",
    "F": "قابل ارزیابی نیست: رسانه‌ای که دربارهٔ آن چیزی نمی‌دانیم",
}
ATTRIBUTION_DA = (
    "مرزها: ادارهٔ جیودیزی و کارتوگرافی افغانستان (AGCHO)، ۲۰۱۸، از طریق دفتر هماهنگی امور بشری "
    "سازمان ملل متحد (OCHA، مرکز تبادل دادهٔ بشری)؛ برای استفادهٔ بشری."
)


def t(key: str, lang: str, **fmt: object) -> str:
    """Return the message ``key`` in ``lang`` ("en" or "da"; anything else reads as English).

    Keyword arguments fill the message's placeholders: a date reads as ISO in English and as
    the solar date with the Gregorian beside in Dari; a number is written in Persian digits in Dari.
    """
    en, da = TEXT[key]
    text = da if lang == "da" else en
    if fmt:
        text = text.format(**{name: _shown(value, lang) for name, value in fmt.items()})
    return text


def _shown(value: object, lang: str) -> object:
    if isinstance(value, dt.date):
        return date_text(value, lang)
    if lang == "da" and isinstance(value, int | float):
        return persian_digits(value)
    return value


@functools.lru_cache(maxsize=16384)  # a publish writes the same dates hundreds of thousands of times
def date_text(day: dt.date, lang: str) -> str:
    """A date as the reader's calendar writes it: ``2021-08-15`` / ``۲۴ اسد ۱۴۰۰ (۲۰۲۱-۰۸-۱۵)``."""
    return dual_text(day) if lang == "da" else day.isoformat()


def number(value: int | float, lang: str) -> str:
    """A number in the reader's digits (Persian digits in Dari)."""
    return persian_digits(value) if lang == "da" else str(value)


def controller_label(controller: str, lang: str) -> str:
    """``Taliban`` / ``طالبان``; an unknown code is shown as it is."""
    labels = CONTROLLER_LABELS_DA if lang == "da" else settings.CONTROLLER_LABELS
    return labels.get(controller, controller)


def confidence_label(confidence: str, lang: str) -> str:
    """``confirmed`` / ``تأیید شده``."""
    return CONFIDENCE_DA.get(confidence, confidence) if lang == "da" else confidence


def claimant_label(claimant: str, lang: str) -> str:
    """The side making a claim: ``Taliban`` / ``طالبان``."""
    en, da = CLAIMANT_LABELS.get(claimant, (claimant, claimant))
    return da if lang == "da" else en


def source_kind_label(kind: str, lang: str) -> str:
    """A source's kind: ``wire`` / ``خبرگزاری``."""
    en, da = SOURCE_KIND_LABELS.get(kind, (kind, kind))
    return da if lang == "da" else en


def attribution(lang: str) -> str:
    """The boundary credit that must be shown wherever the map is."""
    return ATTRIBUTION_DA if lang == "da" else settings.ATTRIBUTION


# key -> (English, Dari). Placeholders in braces are filled by ``t``.
TEXT: dict[str, tuple[str, str]] = {
    # page and navigation
    "page_title": ("Afghanistan district control 2021", "کنترول ولسوالی‌های افغانستان ۲۰۲۱"),
    "nav_map": ("Map", "نقشه"),
    "nav_methodology": ("Methodology", "روش کار"),
    "open_full": ("Open the full map", "باز کردن نقشهٔ کامل"),
    "title": ("Afghanistan district control, 2021", "کنترول ولسوالی‌های افغانستان، ۲۰۲۱"),
    "subtitle": (
        "Who held each district on a given day, and who says so. Click a district for its evidence.",
        "چه کسی هر ولسوالی را در یک روز مشخص در اختیار داشت و چه کسی چنین می‌گوید. "
        "برای دیدن شواهد روی ولسوالی کلیک کنید.",
    ),
    "language": ("Language", "زبان"),
    "footer": (
        "{attribution} Claims and sources: see the Methodology page and the project README.",
        "{attribution} ادعاها و منابع: صفحهٔ روش کار و راهنمای پروژه را ببینید.",
    ),
    # date controls
    "date": ("Date", "تاریخ"),
    "prev_change": ("⏮", "⏮"),
    "next_change": ("⏭", "⏭"),
    "prev_help": ("Go to the previous date on which any district changed", "رفتن به تاریخ قبلی که ولسوالی‌ای تغییر کرد"),
    "next_help": ("Go to the next date on which any district changed", "رفتن به تاریخ بعدی که ولسوالی‌ای تغییر کرد"),
    "one_date": (
        "**Date:** {date} (every claim in the timeline has this date)",
        "**تاریخ:** {date} (همهٔ ادعاهای جدول زمانی همین تاریخ را دارند)",
    ),
    "play": ("▶ Play", "▶ پخش"),
    "play_help": ("Step through the timeline; stops at the end", "جدول زمانی را گام‌به‌گام نشان می‌دهد؛ در پایان می‌ایستد"),
    "play_options": ("Play options", "تنظیمات پخش"),
    "speed": ("Speed", "سرعت"),
    "speed_slow": ("slow (2 s)", "آهسته (۲ ثانیه)"),
    "speed_normal": ("normal (1 s)", "عادی (۱ ثانیه)"),
    "speed_fast": ("fast (0.5 s)", "تند (۰٫۵ ثانیه)"),
    "changes_only": ("Only dates with changes", "تنها تاریخ‌های دارای تغییر"),
    "compare": ("Compare with", "مقایسه با"),
    "compare_help": (
        "Outline the districts whose controller differs between this date and the slider's",
        "ولسوالی‌هایی را که کنترول‌کننده‌شان میان این تاریخ و تاریخ لغزنده فرق دارد، با خط دور مشخص کن",
    ),
    "compare_none": ("No compare date", "بدون تاریخ مقایسه"),
    "stale": ("Shade by age of evidence", "رنگ‌آمیزی بر اساس قدامت شواهد"),
    "stale_help": (
        "Colour each district by the age of its newest evidence at this date",
        "هر ولسوالی را بر اساس عمر تازه‌ترین شواهدش در این تاریخ رنگ کن",
    ),
    "vs": ("{date}  vs {compare}", "{date} در برابر {compare}"),
    # district picker and ledger
    "district": ("District", "ولسوالی"),
    "pick": ("Pick a district, or click one on the map", "یک ولسوالی را انتخاب کنید یا روی نقشه کلیک کنید"),
    "pick_info": (
        "Click a district on the map, or pick one above, to see every claim and source behind its status.",
        "برای دیدن همهٔ ادعاها و منابع پشت وضعیت یک ولسوالی، روی آن در نقشه کلیک کنید یا از بالا انتخابش کنید.",
    ),
    "asserts": ("asserts", "ادعا می‌کند"),
    "denies": ("denies", "رد می‌کند"),
    "since": ("since", "از"),
    "last": ("last evidence", "آخرین شواهد"),
    "none": (
        "No sourced claim about this district yet: shown as unknown, not guessed.",
        "هنوز هیچ ادعای مستندی دربارهٔ این ولسوالی نیست: نامعلوم نشان داده می‌شود، نه حدسی.",
    ),
    "sec_claims": ("Claims behind this status", "ادعاهای پشت این وضعیت"),
    "sec_counter": ("Counter-claims", "ادعاهای مخالف"),
    "sec_earlier": ("Earlier evidence", "شواهد پیشین"),
    "sec_later": ("Later evidence (after this date)", "شواهد بعدی (پس از این تاریخ)"),
    "province_wide": ("Province-wide", "در سطح ولایت"),
    "country_wide": ("Country-wide", "در سطح کشور"),
    "except": ("except", "به جز"),
    "relaying": ("relaying", "به نقل از"),
    "reported_as": ("reported as", "گزارش‌شده به نام"),
    "date_note": ("Date", "تاریخ"),
    "date_not_shown": ("date not shown", "تاریخ ذکر نشده"),
    "date_not_checked": ("publication date not checked", "تاریخ نشر بررسی نشده"),
    "in_english": ("English", "انگلیسی"),
    "all_capitals": ("All provincial capitals", "همهٔ مراکز ولایات"),
    "missing_source": ("missing source", "منبع ناموجود"),
    "state_media": ("{state} state media", "رسانهٔ دولتی {state}"),
    "aligned_with": ("aligned with {state}", "همسو با دولت {state}"),
    "voices": ("Distinct original outlets behind this status", "رسانه‌های اصلی جداگانه پشت این وضعیت"),
    "broad_only": (
        "rests only on claims about all capitals, a province or the country",
        "تنها بر ادعاهای دربارهٔ همهٔ مراکز ولایات، یک ولایت یا کشور استوار است",
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
    # map legend, tooltips and controls
    "legend": ("Legend", "راهنمای نقشه"),
    "broad_legend": (
        "only broad evidence (all capitals, a province or the country)",
        "تنها شواهد گسترده (همهٔ مراکز ولایات، یک ولایت یا کشور)",
    ),
    "age_title": ("Age of newest evidence", "عمر تازه‌ترین شواهد"),
    "age_evidence": ("Evidence {age} old", "شواهد {age}"),
    "no_evidence": ("No evidence", "بدون شواهد"),
    "no_evidence_legend": ("no evidence", "بدون شواهد"),
    "unknown": ("Unknown", "نامعلوم"),
    "diff_legend": ("changed since compare date", "تغییر کرده از تاریخ مقایسه"),
    "diff_tip": ("changed since the compare date", "از تاریخ مقایسه تغییر کرده"),
    "copy_link": ("Copy link", "کاپی پیوند"),
    "copy_title": ("Copy a link to exactly this view", "کاپی پیوندی به همین نما"),
    "copied": ("copied", "کاپی شد"),
    "copy_manual": ("copy from the address bar", "از نوار آدرس کاپی کنید"),
    "zoom_in": ("Zoom in", "بزرگ‌نمایی"),
    "zoom_out": ("Zoom out", "کوچک‌نمایی"),
    "km": ("km", "کیلومتر"),
    "m": ("m", "متر"),
    # embedding and the published site
    "embed": ("Embed", "جاسازی"),
    "embed_help": (
        "Paste this code into a web page to show the map at this view:",
        "این کد را در یک صفحهٔ وب بگذارید تا نقشه با همین نما نشان داده شود:",
    ),
    "embed_copy": ("Copy the code", "کاپی کد"),
    "close": ("Close", "بستن"),
    "release_version": ("Data version", "نسخهٔ داده‌ها"),
    "release_cite": ("How to cite", "شیوهٔ استناد"),
    "release_data": ("Download the data (CSV, GeoJSON)", "دانلود داده‌ها (CSV، GeoJSON)"),
    # analysis tabs
    "over_time": ("Over time", "در طول زمان"),
    "changes": ("Changes between dates", "تغییرات بین دو تاریخ"),
    "log": ("Change log", "فهرست تغییرات"),
    "export": ("Export", "خروجی"),
    "measure": ("Measure", "معیار"),
    "m_districts": ("Number of districts", "شمار ولسوالی‌ها"),
    "m_area": ("Area (km², equal-area)", "مساحت (کیلومتر مربع، هم‌مساحت)"),
    "u_districts": ("districts", "ولسوالی"),
    "u_area": ("km²", "کیلومتر مربع"),
    "controller": ("controller", "کنترول‌کننده"),
    "chart_caption": (
        "Click the chart to move the date (black line). Areas are computed in an Albers equal-area projection "
        "from the full-resolution boundaries.",
        "برای تغییر تاریخ روی نمودار کلیک کنید (خط سیاه). مساحت‌ها در یک تصویر هم‌مساحت آلبرس از مرزهای "
        "با دقت کامل محاسبه شده‌اند.",
    ),
    "pick_compare": (
        "Pick a compare date above to list and highlight the districts that changed.",
        "برای فهرست و برجسته‌کردن ولسوالی‌های تغییرکرده، در بالا یک تاریخ مقایسه انتخاب کنید.",
    ),
    "changed_hands": (
        "**{n}** districts changed hands between {first} and {last} (outlined in magenta).",
        "**{n}** ولسوالی میان {first} و {last} دست به دست شد (با خط ارغوانی مشخص شده).",
    ),
    "download_csv": ("Download CSV", "دانلود CSV"),
    "download_geojson": ("Download GeoJSON", "دانلود GeoJSON"),
    "log_caption": (
        "Pick a row to move the map and the ledger to that change.",
        "یک ردیف را انتخاب کنید تا نقشه و دفتر شواهد به همان تغییر برود.",
    ),
    "export_intro": (
        "The state of every district on **{date}**, as `python -m geo state --date {iso}` prints it.",
        "وضعیت همهٔ ولسوالی‌ها در **{date}**، همان‌گونه که `python -m geo state --date {iso}` چاپ می‌کند.",
    ),
    "state_csv": ("State CSV", "وضعیت CSV"),
    "state_geojson": ("State GeoJSON", "وضعیت GeoJSON"),
    "map_png": ("Map PNG (for articles)", "نقشه PNG (برای مقاله‌ها)"),
    "col_pcode": ("pcode", "کد"),
    "col_date": ("date", "تاریخ"),
    "col_district": ("district", "ولسوالی"),
    "col_province": ("province", "ولایت"),
    "col_from": ("from", "از"),
    "col_to": ("to", "به"),
    "col_confidence": ("confidence", "اطمینان"),
    "col_changed_on": ("changed_on", "تاریخ تغییر"),
    "col_sources": ("sources", "منابع"),
    # the PNG export
    "png_confirmed": ("Confirmed (independent report or a side conceding)", "تأیید شده (گزارش مستقل یا اعتراف یک طرف)"),
    "png_claimed": (
        "Claimed (only by the side said to hold it)",
        "ادعا شده (تنها از سوی طرفی که گفته می‌شود کنترول دارد)",
    ),
    "png_disputed": ("Disputed (counter-claims stand against it)", "مورد اختلاف (ادعاهای مخالف در برابرش هست)"),
    # loading and error pages
    "preparing": ("Preparing the district boundaries…", "آماده‌سازی مرزهای ولسوالی‌ها…"),
    "downloading": ("Downloading the AGCHO boundaries: {mb} MB", "دانلود مرزهای AGCHO: {mb} مگابایت"),
    "no_boundaries": ("The district boundaries are not available.", "مرزهای ولسوالی‌ها در دسترس نیست."),
    "bad_data": (
        "The timeline data has problems; nothing is shown until they are fixed.",
        "داده‌های جدول زمانی مشکل دارد؛ تا رفع آن چیزی نشان داده نمی‌شود.",
    ),
    "fix_data": (
        "Fix them in the data folder (run `python -m geo validate` to re-check).",
        "آن‌ها را در پوشهٔ داده‌ها درست کنید (برای بررسی دوباره `python -m geo validate` را اجرا کنید).",
    ),
    "problems_note": (
        "The list below is for the data's editors, as the checker writes it.",
        "فهرست زیر برای ویراستاران داده‌هاست، همان‌گونه که بررسی‌کننده می‌نویسد.",
    ),
    "empty": ("The timeline is empty.", "جدول زمانی خالی است."),
    "add_claims": (
        "Add claims to claims.csv in the data folder.",
        "ادعاها را به فایل `claims.csv` در پوشهٔ داده‌ها بیفزایید.",
    ),
    "more_problems": ("  … and {n} more", "  … و {n} مورد دیگر"),
    "stale_data": (
        "The data files have {n} problem(s), so the map still shows the last valid version "
        "(data version `{version}`, loaded {loaded}) until they are fixed.",
        "فایل‌های داده {n} مشکل دارد؛ تا رفع آن‌ها نقشه هنوز آخرین نسخهٔ معتبر را نشان می‌دهد "
        "(نسخهٔ داده `{version}`، بارگذاری‌شده در {loaded}).",
    ),
    "stale_problems": ("Problems in the data files (for editors)", "مشکلات فایل‌های داده (برای ویراستاران)"),
    # notices about the URL and the session
    "n_district": (
        "Ignored district {value}: not a district PCODE (e.g. AF0912).",
        "ولسوالی {value} نادیده گرفته شد: کد ولسوالی نیست (مثلاً `AF0912`).",
    ),
    "n_format": (
        "Ignored {param} {value}: use YYYY-MM-DD.",
        "پارامتر `{param}` با مقدار {value} نادیده گرفته شد: از قالب `YYYY-MM-DD` استفاده کنید.",
    ),
    "n_no_day": (
        "Ignored {param} {value}: no such day exists.",
        "پارامتر `{param}` با مقدار {value} نادیده گرفته شد: چنین روزی وجود ندارد.",
    ),
    "n_range": (
        "Ignored {param} {value}: the timeline runs {start} to {end}.",
        "پارامتر `{param}` با مقدار {value} نادیده گرفته شد: جدول زمانی از {start} تا {end} است.",
    ),
    "n_choice": (
        "Ignored {param} {value}: use one of {allowed}.",
        "پارامتر `{param}` با مقدار {value} نادیده گرفته شد: یکی از {allowed} را به کار ببرید.",
    ),
    "n_view": (
        "Ignored map view ({shown}): use lat {lat0}–{lat1}, lon {lon0}–{lon1} and a whole zoom {z0}–{z1}.",
        "نمای نقشه ({shown}) نادیده گرفته شد: عرض جغرافیایی {lat0} تا {lat1}، طول جغرافیایی {lon0} تا {lon1} "
        "و بزرگ‌نمایی عدد صحیح {z0} تا {z1}.",
    ),
    "n_too_many": (
        "This link has {n} parameters, more than the {limit} the server reads, so it was read in the browser: "
        "only {kept} kept.",
        "این پیوند {n} پارامتر دارد، بیش از {limit} پارامتری که سرور می‌خواند؛ پس در مرورگر خوانده شد: "
        "تنها {kept} نگه داشته شد.",
    ),
    "n_too_long": (
        "This link is longer than the {limit} characters the server reads, so it was read in the browser: "
        "only {kept} kept.",
        "این پیوند از {limit} نویسه‌ای که سرور می‌خواند درازتر است؛ پس در مرورگر خوانده شد: تنها {kept} نگه داشته شد.",
    ),
    "n_moved": (
        "The timeline data changed and now runs {start} to {end}; the {what} {value} was moved to {moved}.",
        "داده‌های جدول زمانی تغییر کرد و اکنون از {start} تا {end} است؛ {what} {value} به {moved} منتقل شد.",
    ),
    "what_date": ("date", "تاریخ"),
    "what_compare": ("compare date", "تاریخ مقایسه"),
    # the Methodology page (its body is METHODOLOGY below)
    "m_title": ("Methodology", "روش کار"),
    "m_counts": (
        "The timeline holds **{claims} claims** from **{sources} sources** about **{districts} districts**, "
        "{start} to {end}.",
        "جدول زمانی **{claims} ادعا** از **{sources} منبع** دربارهٔ **{districts} ولسوالی** دارد، از {start} تا {end}.",
    ),
    "m_window": ("{n}", "{n}"),
    "m_capitals_gap": (
        "- On {date}, {n} of the 34 provincial capitals rest only on claims about all provincial capitals, "
        'chiefly one AFP sentence of 8 July ("the main cities and provincial capitals remain under the control '
        'of the Afghan state"), coded once, not once per city.',
        "- در {date}، {n} مرکز از ۳۴ مرکز ولایت تنها بر ادعاهایی دربارهٔ همهٔ مراکز ولایات استوارند، بیشتر یک جملهٔ "
        "خبرگزاری فرانسه در ۱۷ سرطان («شهرهای اصلی و مراکز ولایت‌ها در کنترول دولت افغانستان باقی مانده‌اند») که یک "
        "بار ثبت شده است، نه یک بار برای هر شهر.",
    ),
    "m_status_gaps": (
        "- What the map's statuses rest on, of its {n} districts (computed from the data): {dates}.",
        "- وضعیت‌های نقشه بر چه استوارند، از {n} ولسوالی آن (محاسبه‌شده از داده‌ها): {dates}.",
    ),
    "m_status_day": (
        "on {date}, {known} have a status; {weak} of them rest only on weak voices (graded D–F or media of a "
        "state outside the fighting), {single} on a single voice, {broad} only on broad claims",
        "در {date}، {known} ولسوالی وضعیت دارند؛ از این میان {weak} تنها بر صداهای ضعیف (درجهٔ D تا F یا رسانهٔ "
        "کشوری بیرون از جنگ)، {single} بر یک صدا، و {broad} تنها بر ادعاهای گسترده استوارند",
    ),
    "m_parties": ("(and the Afghan sides themselves)", "(و خود طرف‌های افغان)"),
}

# The Methodology page's body; ``{window}``, ``{grades}``, ``{parties}`` and ``{attribution}`` are filled in.
METHODOLOGY = {
    "en": """
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
reporting). A claim covers one district; or all 34 provincial capitals, a whole province or the
whole country, with a list of what it leaves out ("every district of Badakhshan except Faizabad" is
one claim; so is "the provincial capitals remain under government control"). A broad claim counts
for each district it covers until newer evidence replaces it; on the same day, a claim about the
district itself wins over one about all provincial capitals, that over a province-wide one, and
that over a country-wide one. (A capitals claim speaks of the city itself, the district centre
that control means here; a province-wide claim speaks of it only as one of the province's
districts.) A provincial capital is the province's centre district in the 2018 boundaries.
For a chosen date, only claims dated on or before it count. The controller is the one asserted
most recently; if claimants assert different controllers on the same day, an independent report
settles it, otherwise the district is contested. Then:

- **confirmed** (solid): a supporting claim is the reporting of an **independent outlet graded
  A–C**, or a side **conceding a loss** (a government official saying a city fell), carried by an
  outlet graded A–C that is not the state media of a state outside the fighting;
- **claimed** (lighter, dashed border): only the side said to be in control asserts it, or the
  status rests only on outlets graded D–F, or only on state media of a state not party to the
  fighting (for example Russian, Iranian or Chinese state media);
- **disputed** (hatched): within {window} days someone denies it, or someone
  asserts a different controller since it began. The ledger lists both sides.

A repost and its original are **one voice**: a page that relays another outlet's report (UrduPoint
relaying Sputnik, a mirror copying TOLOnews) speaks with the original's voice and grade, and
corroboration counts distinct original outlets, never pages. A district whose status rests only on
broad claims (all capitals, a province or the country) has a dotted white outline on the map.

### Outlets and grades

Every source names its outlet, and the original outlet when it relays one. Each outlet has an
affiliation (independent, Afghan government, Taliban, resistance, the state media of a named
country, or **aligned with** a named state) and an **Admiralty source grade**, judged for
reporting on Afghanistan in 2021, with a one-line reason in the register (`data/outlets.csv`):

{grades}

A side's own outlet is graded like any other, but its statements are that side's claims whatever
its grade. States counted as party to the fighting in 2021: {parties}.

An outlet that is not a state's media but is tied to that state's influence operations or
follows its line (for example SouthFront with Russia, ISWNews with Iran) is recorded as
**aligned with** that state (`aligned:RU`, `aligned:IR`) and weighed exactly like that state's
media: alone, it leaves a status at most "claimed" unless the state is a party to the fighting.

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

- Every district has a sourced status from 15 August 2021 on, mostly through the country-wide
  statements of 15 August and 3 and 6 September; about three in four have one on 1 August. The
  east (Nangarhar, Kunar, Kabul province), Khost and Paktika have the fewest district-level reports
  before August, and stay unknown there rather than guessed.
- About one claim in fourteen rests only on outlets graded D–F (for example an Iran-aligned site
  listing Helmand and Paktia districts, or Sputnik relaying a Taliban spokesman); they are kept as
  that side's or that outlet's statement and stay "claimed".
- Some statuses before August rest on one province-wide sentence of an early report (Ghor's MP in
  April: the government holds every district centre; the Guardian on 8 July: in Helmand it holds
  only Lashkar Gah and four centres). UN OCHA's weekly updates, which name district centres, are
  held only in part.
{status_gaps}
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

{attribution} 399 districts and 34 provinces with Dari names; the layer is the
2018 edition, so district names follow it even where 2021 reports used other names (the
gazetteer maps reported spellings to official PCODEs).
""",
    "da": """
### «کنترول» در اینجا چه معنا دارد

هر ولسوالی به گروه مسلحی نسبت داده می‌شود که به گفتهٔ یک منبع **مرکز ولسوالی** (مقر ولسوال،
فرماندهی پولیس و بازار) را در اختیار دارد، نه همهٔ قریه‌هایش را. این همان قرارداد نقشه‌های کنترول
ولسوالی‌هاست که خبرنگاران می‌شناسند، و همان چیزی است که گزارش‌های ۲۰۲۱ واقعاً شرح می‌دهند
(«طالبان مرکز ولسوالی … را گرفتند»). وقتی منبعی از جنگ بر سر مرکز خبر دهد و هیچ طرف آن را در
اختیار نداشته باشد، ولسوالی **مورد منازعه** است.

گروه‌ها: **طالبان**؛ **مقاومت** (جبههٔ مقاومت ملی و نیروهای خیزش مردمی ضد طالبان پس از ۲۴ اسد ۱۴۰۰)؛
**حکومت** (نیروهای جمهوری اسلامی تا فروپاشی آن). ولسوالی‌ای که هیچ ادعای مستندی دربارهٔ آن نیست
**نامعلوم** است: روی نقشه خاکستری، هرگز حدسی.

### ادعا شده، تأیید شده، مورد اختلاف

هر ردیف جدول زمانی یک *ادعا* است: گزارشی که یک ولسوالی در یک تاریخ در اختیار گروهی بود یا نبود،
منسوب به طرفی که آن را مطرح می‌کند (طالبان، مقاومت، حکومت یا گزارش مستقل). یک ادعا یک ولسوالی را
در بر می‌گیرد، یا همهٔ ۳۴ مرکز ولایت، یک ولایت یا تمام کشور را با فهرست آنچه بیرون می‌گذارد («همهٔ
ولسوالی‌های بدخشان به جز فیض‌آباد» یک ادعاست؛ «مراکز ولایات در کنترول حکومت باقی مانده‌اند» نیز). ادعای
گسترده برای هر ولسوالی‌ای که در بر می‌گیرد حساب می‌شود تا شواهد تازه‌تر جایش را بگیرد؛ در یک روز، ادعا
دربارهٔ خود ولسوالی بر ادعا دربارهٔ همهٔ مراکز ولایات، آن بر ادعای سطح ولایت، و آن بر ادعای سطح کشور برتری
دارد. (ادعا دربارهٔ مراکز ولایات از خود شهر سخن می‌گوید، یعنی همان مرکزی که کنترول در اینجا به آن معناست؛
ادعای سطح ولایت از آن تنها به‌عنوان یکی از ولسوالی‌های ولایت یاد می‌کند.) مرکز ولایت همان ولسوالی مرکزی
ولایت در مرزهای ۲۰۱۸ است. برای تاریخ انتخاب‌شده تنها ادعاهای همان روز یا پیش از آن حساب می‌شوند.
کنترول‌کننده همانی است که تازه‌ترین ادعا آن را می‌گوید؛ اگر طرف‌ها در یک روز کنترول‌کننده‌های متفاوتی
ادعا کنند، گزارش مستقل حکم می‌کند، وگرنه ولسوالی مورد منازعه است. سپس:

- **تأیید شده** (رنگ کامل): یکی از ادعاهای پشتیبان، گزارش یک **رسانهٔ مستقل با درجهٔ A تا C** است،
  یا **اعتراف یک طرف به شکست** (مثلاً مقام حکومتی که می‌گوید شهری سقوط کرد)، که رسانه‌ای با درجهٔ
  A تا C آن را نشر کرده و رسانهٔ دولتیِ کشوری بیرون از جنگ نیست؛
- **ادعا شده** (کم‌رنگ‌تر، با مرز خط‌چین): تنها طرفی که گفته می‌شود کنترول دارد آن را می‌گوید، یا
  وضعیت تنها بر رسانه‌های با درجهٔ D تا F، یا تنها بر رسانه‌های دولتیِ کشوری که طرف جنگ نیست
  (مثلاً رسانه‌های دولتی روسیه، ایران یا چین) استوار است؛
- **مورد اختلاف** (هاشورخورده): در فاصلهٔ {window} روز کسی آن را رد می‌کند، یا کسی از آغاز آن
  کنترول‌کنندهٔ دیگری را ادعا می‌کند. دفتر شواهد هر دو طرف را فهرست می‌کند.

بازنشر و اصل آن **یک صدا**یند: صفحه‌ای که گزارش رسانهٔ دیگری را بازنشر می‌کند (UrduPoint به نقل از
Sputnik، یا سایتی که TOLOnews را کپی می‌کند) با صدا و درجهٔ رسانهٔ اصلی سخن می‌گوید، و
تأیید، رسانه‌های اصلی جداگانه را می‌شمارد، نه صفحه‌ها را. ولسوالی‌ای که وضعیتش تنها بر ادعاهای
گسترده (همهٔ مراکز ولایات، یک ولایت یا کشور) استوار است، روی نقشه خط دور سفید نقطه‌چین دارد.

### رسانه‌ها و درجه‌ها

هر منبع رسانه‌اش را نام می‌برد، و اگر بازنشر باشد رسانهٔ اصلی را هم. هر رسانه یک وابستگی دارد
(مستقل، حکومت افغانستان، طالبان، مقاومت، رسانهٔ دولتی یک کشور مشخص، یا **همسو با** یک دولت مشخص)
و یک **درجهٔ اعتبار منبع** به روش دریاداری، که برای گزارش‌دهی دربارهٔ افغانستان در ۲۰۲۱ سنجیده شده و دلیلش در یک سطر در
فهرست رسانه‌ها (`data/outlets.csv`) آمده است:

{grades}

رسانهٔ خود یک طرف مانند هر رسانهٔ دیگر درجه می‌گیرد، اما گفته‌هایش، با هر درجه‌ای، ادعای همان طرف
است. کشورهایی که در ۲۰۲۱ طرف جنگ شمرده می‌شوند: {parties}.

رسانه‌ای که رسانهٔ یک دولت نیست اما با عملیات نفوذ آن دولت پیوند دارد یا خط آن را دنبال می‌کند (مثلاً
SouthFront با روسیه، ISW News با ایران) **همسو با** آن دولت ثبت می‌شود (`aligned:RU`، `aligned:IR`) و درست
مانند رسانهٔ دولتی همان کشور سنجیده می‌شود: به‌تنهایی، وضعیت را حداکثر «ادعا شده» نگه می‌دارد، مگر آنکه
آن دولت طرف جنگ باشد.

«از» نخستین روز دورهٔ کنونی آن کنترول‌کننده است؛ «آخرین شواهد» تازه‌ترین ادعا دربارهٔ ولسوالی تا
تاریخ انتخاب‌شده است. شواهد کهنه تازه نمی‌شوند: سقوط اغلب گزارش می‌شود، بازپس‌گیری آرام اغلب نه.

### منابع چگونه برگزیده و سنجیده می‌شوند

- هر ادعا دست‌کم به یک صفحهٔ نشرشده با نشانی واقعی استناد می‌کند که در نسخه‌های ذخیره‌شدهٔ
  صفحه‌های عمومی یافته و با محتوایشان سنجیده شده است. هیچ نشانی‌ای از حافظه نوشته یا «ترمیم» نمی‌شود.
- رسانه‌های مستقل با درجهٔ A تا C ترجیح داده می‌شوند (خبرگزاری‌هایی چون Reuters و AP و AFP؛
  خبرگزاری‌های افغان چون TOLOnews و Pajhwok)، و برای دست‌به‌دست شدن، دو منبع اصلی مستقل، هر جا
  صفحه‌های ذخیره‌شده آن‌ها را داشته باشند. گفتهٔ سخنگوی یک طرف، حتی وقتی خبرگزاری‌ای آن را نشر کند،
  ادعای همان طرف ثبت می‌شود.
- وقتی منابع دربارهٔ تاریخ یا کنترول‌کنندهٔ یک ولسوالی اختلاف دارند، **هر دو ادعا نگه داشته
  می‌شوند**، هر یک با طرفش، و اختلاف روی ادعا یادداشت می‌شود.
- تاریخ یک ادعا تاریخی است که گفته می‌شود وضعیت در آن برقرار بوده، نه تاریخ نشر؛ جایی که رسانه‌ها
  اختلاف دارند، مستندترین تاریخ به کار می‌رود و دیگری در یادداشت تاریخ ادعا می‌آید.
- خلاصه‌ها و یادداشت‌ها به زبان خود ما نوشته شده‌اند، هرگز متن کپی‌شده نیستند؛ جایی که متن دری هنوز
  نوشته نشده، متن انگلیسی با برچسب «انگلیسی» نشان داده می‌شود.

### کمبودهای شناخته‌شده

- از ۲۴ اسد ۱۴۰۰ به بعد هر ولسوالی وضعیت مستند دارد، بیشتر از راه اعلامیه‌های سطح کشور ۲۴ اسد
  و ۱۲ و ۱۵ سنبله؛ در ۱۰ اسد حدود سه چهارم ولسوالی‌ها وضعیت مستند دارند. شرق (ننگرهار، کنر، ولایت کابل)، خوست
  و پکتیکا پیش از اسد کمترین گزارش سطح ولسوالی را دارند و در آنجا نامعلوم می‌مانند، نه حدسی.
- حدود یک ادعا از هر چهارده تنها بر رسانه‌های درجهٔ D تا F استوار است؛ این ادعاها به‌عنوان گفتهٔ همان
  طرف یا همان رسانه نگه داشته می‌شوند و «ادعا شده» می‌مانند.
- برخی وضعیت‌های پیش از اسد بر یک جملهٔ سطح ولایت در گزارشی زودتر استوارند (وکیل غور در حمل: دولت همهٔ
  مراکز ولسوالی‌ها را در دست دارد؛ گاردین در ۱۷ سرطان: در هلمند تنها لشکرگاه و چهار مرکز ولسوالی در دست
  دولت است). گزارش‌های هفته‌وار دفتر هماهنگی امور بشری سازمان ملل (OCHA)، که مراکز ولسوالی‌ها را نام
  می‌برند، تنها بخشی‌شان در دسترس است.
{status_gaps}
- پس از حدود ۱۹ سنبله، گزارش‌های پنجشیر در سطح ولایت است (طالبان همهٔ آن را ادعا می‌کنند، مقاومت
  دره‌های فرعی را)، نه ولسوالی به ولسوالی.
- برخی صفحه‌ها بازنشر متن خبرگزاری‌ها در سایت‌های دیگرند؛ صدای رسانهٔ اصلی را دارند و هر جا
  صفحه‌های ذخیره‌شده اصل را داشته باشند، با اصل جایگزین می‌شوند.
- فرمان `python -m geo audit` برای ویراستاران صداهای جداگانه، بهترین درجه و نشانه‌های هر ادعا (تک‌صدا،
  تنها رسانه‌های ضعیف، بدون تاریخ نشر) و ولسوالی‌های معلوم در تاریخ‌های کلیدی را فهرست می‌کند.
- «آبشار» در گفته‌های طالبان مرکز ولسوالی دره خوانده می‌شود (نام دیگرِ بازبینی‌شده).
- چند ولسوالی فرعی بغلان تنها گزارش‌های ثور تا سرطان ۱۴۰۰ دارند (سقوط و بازپس‌گیری)؛ آن‌ها به‌عنوان
  آخرین وضعیت معلوم پیش از اسد نگه داشته شده‌اند، پس جدول زمانی از ثور آغاز می‌شود.

### مرزها

{attribution} ۳۹۹ ولسوالی و ۳۴ ولایت با نام‌های دری؛ این لایه نسخهٔ ۲۰۱۸ است، پس نام ولسوالی‌ها از آن
پیروی می‌کند حتی جایی که گزارش‌های ۲۰۲۱ نام‌های دیگری به کار برده‌اند (فهرست نام‌ها املاهای گزارش‌شده
را به کدهای رسمی ولسوالی‌ها برمی‌گرداند).
""",
}
