"""kg.extract.amounts: money in text -> (value, ISO currency), and what is not money."""
from __future__ import annotations

import pytest

from kg.extract.amounts import Amount, find_amounts, iso_currency


def _values(text: str) -> list[tuple[float, str]]:
    return [(a.value, a.currency) for a in find_amounts(text)]


@pytest.mark.parametrize(("text", "value", "currency", "surface"), [
    ("Acme will spend $1 billion on the plant.", 1e9, "USD", "$1 billion"),
    ("The fund holds 7b yuan in assets.", 7e9, "CNY", "7b yuan"),
    ("A 7bn yuan budget was set.", 7e9, "CNY", "7bn yuan"),
    ("The state allotted Rs 1,000 crore to the corridor.", 1e10, "INR", "Rs 1,000 crore"),
    ("A grant of Rs. 50 lakh was approved.", 5e6, "INR", "Rs. 50 lakh"),
    ("The group raised EUR 2.5 billion last year.", 2.5e9, "EUR", "EUR 2.5 billion"),
    ("It paid €2.5bn for the stake.", 2.5e9, "EUR", "€2.5bn"),
    ("They committed 2.5 billion euros to the line.", 2.5e9, "EUR", "2.5 billion euros"),
    ("The lab costs £300m to build.", 3e8, "GBP", "£300m"),
    ("Startups got US$5 million in seed money.", 5e6, "USD", "US$5 million"),
    ("The mall cost HK$3.2 billion.", 3.2e9, "HKD", "HK$3.2 billion"),
    ("A S$40 million hub opened.", 4e7, "SGD", "S$40 million"),
    ("Miners spent A$1.5bn.", 1.5e9, "AUD", "A$1.5bn"),
    ("The fab will cost NT$300 billion.", 3e11, "TWD", "NT$300 billion"),
    ("Investors put in RMB 3 billion.", 3e9, "CNY", "RMB 3 billion"),
    ("Investors put in 3 billion RMB.", 3e9, "CNY", "3 billion RMB"),
    ("Investors put in 3 billion renminbi.", 3e9, "CNY", "3 billion renminbi"),
    ("The firm spent 80 billion won on chips.", 8e10, "KRW", "80 billion won"),
    ("The plan is worth 5 trillion yen.", 5e12, "JPY", "5 trillion yen"),
    ("It earned 900 million rupees.", 9e8, "INR", "900 million rupees"),
    ("They pledged 36 billion U.S. dollars.", 3.6e10, "USD", "36 billion U.S. dollars"),
    ("A grant of 1.2 million dollars was won.", 1.2e6, "USD", "1.2 million dollars"),
    ("The prize is $500,000.", 5e5, "USD", "$500,000"),
    ("Funding reached USD 40 million.", 4e7, "USD", "USD 40 million"),
    ("Funding reached 40 million USD.", 4e7, "USD", "40 million USD"),
    ("A 10-billion-yuan fund was set up.", 1e10, "CNY", "10-billion-yuan"),
    ("Sales hit ₹500 crore.", 5e9, "INR", "₹500 crore"),
    ("It raised $5M and more.", 5e6, "USD", "$5M"),
    ("It cost a billion dollars.", 1e9, "USD", "a billion dollars"),
    ("The deal is worth 2 billion Hong Kong dollars.", 2e9, "HKD", "2 billion Hong Kong dollars"),
    ("The site cost CHF 90 million.", 9e7, "CHF", "CHF 90 million"),
])
def test_amount(text: str, value: float, currency: str, surface: str) -> None:
    found = find_amounts(text)
    assert len(found) == 1, found
    a = found[0]
    assert (a.value, a.currency, a.text) == (value, currency, surface)
    assert text[a.start:a.end] == a.text
    assert not a.approximate and not a.is_conversion


def test_conversion_in_parentheses() -> None:
    text = "Zeta Ltd has set aside 450 million yuan ($63 million) for a new campus."
    first, second = find_amounts(text)
    assert (first.value, first.currency, first.converted_from) == (4.5e8, "CNY", None)
    assert (second.value, second.currency, second.converted_from) == (6.3e7, "USD", 0)
    assert second.is_conversion and text[second.start:second.end] == "$63 million"


def test_conversion_with_about_is_approximate() -> None:
    text = "Output reached 120.5 billion yuan (about 17 billion U.S. dollars) in 2023."
    first, second = find_amounts(text)
    assert first.value == 1.205e11 and not first.approximate
    assert second.value == 1.7e10 and second.currency == "USD"
    assert second.approximate and second.converted_from == 0


def test_conversion_with_or() -> None:
    first, second = find_amounts("They paid 700 million yuan, or about $100 million, for it.")
    assert second.converted_from == 0 and first.converted_from is None


def test_same_currency_parenthesis_is_not_a_conversion() -> None:
    found = find_amounts("A total of 10 billion yuan (2 billion yuan this year) will be spent.")
    assert [a.converted_from for a in found] == [None, None]


def test_two_separate_amounts() -> None:
    text = "Beta Corp invested $2 million in May and 30 million yuan in June."
    assert _values(text) == [(2e6, "USD"), (3e7, "CNY")]
    assert all(not a.is_conversion for a in find_amounts(text))


@pytest.mark.parametrize("text", [
    "about $5 million", "nearly 3 billion yuan", "more than 2 billion yuan", "some €40m", "roughly £2bn",
])
def test_approximate(text: str) -> None:
    (a,) = find_amounts(text)
    assert a.approximate


def test_vague_amount() -> None:
    (a,) = find_amounts("It will bring in tens of millions of yuan each year.")
    assert (a.value, a.currency, a.vague, a.approximate) == (1e7, "CNY", True, True)


@pytest.mark.parametrize("text", [
    "The park opened in 2016 and grew fast.",
    "Revenue rose 36.4 percent year-on-year.",
    "Exports grew 12% in a year.",
    "The province approved 172 projects.",
    "The center runs 12,000 cloud servers.",
    "The campus covers 40,000 square meters.",
    "Some 3,500 people attended the expo.",
    "The team won 3 titles.",
    "The parcel weighs 500 pounds.",
    "It runs PHP 7 on its servers.",
    "The CEO 5 times said no.",
    "The 5G network covers 300 km.",
    "one of the largest hubs",
    "Phase 2 of the ALL 100 plan.",
    "It was founded in 2018 won by no one.",
])
def test_not_money(text: str) -> None:
    assert find_amounts(text) == []


def test_spans_in_longer_text() -> None:
    text = ("In 2021, Gamma Tech said it would invest US$250 million in a plant employing 1,200 workers, "
            "while Delta Group put up 1.8bn yuan.")
    found = find_amounts(text)
    assert [a.text for a in found] == ["US$250 million", "1.8bn yuan"]
    assert all(text[a.start:a.end] == a.text for a in found)


def test_iso_codes_come_from_pycountry() -> None:
    assert iso_currency("EUR") == "EUR"
    assert iso_currency("XYZ") is None
    assert iso_currency("TOP") is None          # stop-listed: an English word
    assert _values("They raised SEK 400 million.") == [(4e8, "SEK")]   # not in the lexicon, known to pycountry


def test_decimal_value() -> None:
    (a,) = find_amounts("It cost 256.56 billion yuan.")
    assert str(a.decimal) == "256560000000"
    assert isinstance(a, Amount)


@pytest.mark.parametrize(("text", "value", "upper"), [
    ("The plant will cost $3-5 billion.", 3e9, 5e9),
    ("Budgets of 3 to 5 billion yuan were set.", 3e9, 5e9),
])
def test_range(text: str, value: float, upper: float) -> None:
    (a,) = find_amounts(text)
    assert (a.value, a.upper, a.approximate) == (value, upper, True)


@pytest.mark.parametrize(("text", "surface"), [
    ("It is an RMB 5 billion plan.", "RMB 5 billion"),          # "an" is not a number here
    ("By 2019 RMB 3 billion had been spent.", "RMB 3 billion"),  # the year does not take the code
    ("In 2020 USD 40 million went to the park.", "USD 40 million"),
])
def test_currency_token_not_swallowed(text: str, surface: str) -> None:
    assert [a.text for a in find_amounts(text)] == [surface]


def test_two_amounts_joined_by_to_are_not_a_range() -> None:
    found = find_amounts("Grants grew from $1 million to $2 million.")
    assert [(a.value, a.upper) for a in found] == [(1e6, None), (2e6, None)]
