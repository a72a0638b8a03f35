import pytest

from geo.gazetteer import Gazetteer, Match, NoMatch, normalise, skeleton


@pytest.fixture
def gaz(squares_gdf):
    return Gazetteer(squares_gdf, [{"kind": "district", "alias": "Bano", "pcode": "AF0907"}])


@pytest.mark.parametrize(
    "reported",
    ["Pul-e-Hisar", "Pol-e-Hesar", "Puli Hisar", "Pul-i-Hisar", "pul e hesar", "Pul-e Hesar district", "AF0912"],
)
def test_transliteration_variants_resolve(gaz, reported):
    result = gaz.resolve(reported, "Baghlan")
    assert isinstance(result, Match), result
    assert result.pcode == "AF0912"


def test_alias_and_source_alternative_names(gaz):
    assert gaz.resolve("Banu").pcode == "AF0907"  # the boundary file's own alternative name
    assert gaz.resolve("Bano").method == "alias"


def test_name_in_two_provinces_needs_the_province(gaz):
    ambiguous = gaz.resolve("Fayzabad")
    assert isinstance(ambiguous, NoMatch)
    assert {m.pcode for m in ambiguous.suggestions} == {"AF1701", "AF2808"}
    assert gaz.resolve("Faizabad", "Jawzjan").pcode == "AF2808"
    assert gaz.resolve("Fayzabad", "AF17").pcode == "AF1701"


def test_unknown_name_is_refused_with_suggestion(gaz):
    result = gaz.resolve("Pul-i-Hisr-Kalan", "Baghlan")
    assert isinstance(result, NoMatch)
    text = result.describe()
    assert "did you mean Pul-e-Hisar (AF0912" in text


def test_wrong_province_or_pcode_refused(gaz):
    assert isinstance(gaz.resolve("AF0912", "Jawzjan"), NoMatch)
    assert isinstance(gaz.resolve("AF9999"), NoMatch)
    assert isinstance(gaz.resolve("Pul-e-Hisar", "Atlantis"), NoMatch)
    assert isinstance(gaz.resolve("   "), NoMatch)


def test_normalise_and_skeleton():
    assert normalise("Pul-e-Hisar District") == "pul hisar"
    assert skeleton("Pol-e-Hesar") == skeleton("Pul-i-Hisar") == "plhsr"


def test_a_dari_alias_matches(squares_gdf):
    gaz = Gazetteer(squares_gdf, [{"kind": "district", "alias": "پل حصار", "pcode": "AF0912"}])
    assert gaz.resolve("پل حصار", "Baghlan").pcode == "AF0912"
    assert gaz.resolve("پل‌حصار", "Baghlan").pcode == "AF0912"  # with a zero-width non-joiner
    # Arabic yeh and kaf fold to the Persian letters Dari writes
    assert normalise("كابل") == normalise("کابل") and normalise("علي") == normalise("علی")


@pytest.mark.parametrize("name", ["Аndarab", "Pul-е-Hisar", "Deh Sаlah", "Fаyzabad"])  # Cyrillic а/е inside
def test_a_mixed_script_name_is_refused_naming_the_letter(gaz, name):
    result = gaz.resolve(name, "Baghlan" if "Fay" not in name else "Jawzjan")
    assert isinstance(result, NoMatch), result
    assert "mixes writing systems" in result.describe() and "Cyrillic" in result.describe()


def test_a_mixed_script_province_is_refused(gaz):
    result = gaz.resolve("Deh Salah", "Bаghlan")
    assert isinstance(result, NoMatch) and "province" in result.reason and "Cyrillic" in result.reason
