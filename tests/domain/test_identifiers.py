"""Check characters of identity numbers and credit codes (standards.md §4)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiangshu.domain.identifiers import (
    credit_code_check_char,
    credit_code_problem,
    id_number_problem,
    id_number_sex,
    make_credit_code,
    make_id_number,
    org_code_check_char,
)


def test_standard_worked_examples_are_valid() -> None:
    assert id_number_problem("11010519491231002X") is None
    assert credit_code_problem("91350100M000100Y43") is None
    assert org_code_check_char("M000100Y") == "4"
    assert credit_code_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("110105194912310021", "check character is 1, expected X"),
        ("11010519491331002X", "impossible birth date"),
        ("1101051949123100", "17 digits"),
        ("11010518991231002X", "implausible"),
        ("11010520991231002X", "implausible"),
    ],
)
def test_bad_identity_numbers_say_what_is_wrong(value: str, fragment: str) -> None:
    problem = id_number_problem(value, today=date(2026, 11, 28))
    assert problem is not None and fragment in problem


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("91350100M000100Y44", "check character is 4, expected 3"),
        ("91350100M000100Y3", "18 characters"),
        ("91350100M000100YI3", "outside the code alphabet: I"),
        ("E1350100M000100Y43", "registrar code E"),
        ("97350100M000100Y43", "organisation kind 7"),
        ("9135A100M000100Y43", "division code"),
        ("91350100M000100Y53", "organization code check is 5, expected 4"),
    ],
)
def test_bad_credit_codes_say_what_is_wrong(value: str, fragment: str) -> None:
    problem = credit_code_problem(value)
    assert problem is not None and fragment in problem


@given(
    born=st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31)),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_made_identity_numbers_are_valid_and_carry_the_sex(born: date, sequence: int) -> None:
    number = make_id_number("430102", born, sequence)
    assert id_number_problem(number) is None
    assert id_number_sex(number) == ("male" if sequence % 2 else "female")


@given(body=st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8))
def test_made_credit_codes_are_valid_and_any_single_change_is_caught(body: str) -> None:
    code = make_credit_code("91", "430100", body)
    assert credit_code_problem(code) is None
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    changed = code[:17] + alphabet[(alphabet.index(code[17]) + 1) % 31]
    assert credit_code_problem(changed) is not None
