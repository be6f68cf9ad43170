"""Letter codes: generation, the check character, grouping and normalising what people type."""

import random

import pytest

from portal.citizens import letter_codes
from portal.citizens.letter_codes import ALPHABET, LENGTH, MalformedCode

CODES = [letter_codes.generate(random.Random(seed)) for seed in range(40)]


def test_generated_codes_have_the_right_shape_and_validate():
    for code in CODES:
        assert len(code) == LENGTH
        assert set(code) <= set(ALPHABET)
        assert letter_codes.normalise(code) == code


def test_generation_is_random_but_reproducible_with_a_seeded_generator():
    assert len(set(CODES)) == len(CODES)
    assert letter_codes.generate(random.Random(1)) == letter_codes.generate(random.Random(1))
    assert letter_codes.generate() != letter_codes.generate()


def test_alphabet_leaves_out_characters_people_confuse():
    assert not set("01OILU") & set(ALPHABET)


@pytest.mark.parametrize("code", CODES[:10])
def test_every_single_character_substitution_is_caught(code):
    for position in range(LENGTH):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            typo = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(MalformedCode) as caught:
                letter_codes.normalise(typo)
            assert caught.value.reason == "check", typo


@pytest.mark.parametrize("code", CODES[:10])
def test_adjacent_swaps_are_caught(code):
    swaps = {code[:i] + code[i + 1] + code[i] + code[i + 2 :] for i in range(LENGTH - 1)}
    for typo in swaps - {code}:
        with pytest.raises(MalformedCode):
            letter_codes.normalise(typo)


def test_grouped_form_is_three_groups_of_four():
    code = CODES[0]
    assert letter_codes.grouped(code) == f"{code[:4]}-{code[4:8]}-{code[8:]}"


@pytest.mark.parametrize(
    "typed",
    [
        "{g}",
        "{g_lower}",
        "{c_lower}",
        "{spaced}",
        "  {c}  ",
        "{g_en_dash}",
        "{g_em_dash}",
        "{c_tabbed}",
        "{g_dots}",
    ],
)
def test_normalise_accepts_what_people_type_and_paste(typed):
    code = CODES[3]
    g = letter_codes.grouped(code)
    variants = {
        "c": code,
        "g": g,
        "g_lower": g.lower(),
        "c_lower": code.lower(),
        "spaced": " ".join([code[:4], code[4:8], code[8:]]),
        "g_en_dash": g.replace("-", "\u2013"),
        "g_em_dash": g.replace("-", " \u2014 "),
        "c_tabbed": f"\t{code[:6]}\n{code[6:]}\t",
        "g_dots": g.replace("-", "."),
    }
    assert letter_codes.normalise(typed.format(**variants)) == code


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "length"),
        (None, "length"),
        ("ABCD-EFGH-JK2", "length"),
        ("ABCD-EFGH-JK234", "length"),
        ("A" * 10_000, "length"),
        ("ABCD-EFGH-JK2O", "characters"),  # letter O is not in the alphabet
        ("ABCD-EFGH-JK21", "characters"),  # digit 1 neither
        ("ABCD-EFGH-JKÆ2", "characters"),
        ("ABCD'EFGH;JK", "characters"),
        ("<script>ab</", "characters"),
    ],
)
def test_normalise_rejects_wrong_length_and_characters(typed, reason):
    with pytest.raises(MalformedCode) as caught:
        letter_codes.normalise(typed)
    assert caught.value.reason == reason


def test_compact_gives_the_same_key_for_every_way_of_typing_one_code():
    code = CODES[5]
    g = letter_codes.grouped(code)
    typed = [g, g.lower(), g.replace("-", "\u2013"), g.replace("-", "."), " ".join(code), code]
    assert {letter_codes.compact(t) for t in typed} == {code}
