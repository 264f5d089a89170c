"""The periods syntax (periods.py): what each form lists, and every mistake refused with its fix."""

import pytest

from terraembed.shared.periods import PeriodError, check_series, parse_periods, period_of, whole_years


def spans(text):
    return [(p.label, p.start, p.end) for p in parse_periods(text)]


def test_empty_text_is_no_series():
    assert parse_periods("") == [] and parse_periods("  ") == [] and parse_periods(None) == []


def test_year_range_lists_every_year_end_exclusive():
    assert spans("2019..2021") == [
        ("2019", "2019-01-01", "2020-01-01"),
        ("2020", "2020-01-01", "2021-01-01"),
        ("2021", "2021-01-01", "2022-01-01"),
    ]


def test_listed_years_and_months():
    assert [p.label for p in parse_periods("2019, 2021,2023")] == ["2019", "2021", "2023"]
    assert spans("2024-12") == [("2024-12", "2024-12-01", "2025-01-01")]


def test_seasons_are_meteorological_with_winter_from_december_before():
    assert spans("2024:seasons") == [
        ("2024-DJF", "2023-12-01", "2024-03-01"),
        ("2024-MAM", "2024-03-01", "2024-06-01"),
        ("2024-JJA", "2024-06-01", "2024-09-01"),
        ("2024-SON", "2024-09-01", "2024-12-01"),
    ]


def test_quarters_months_and_a_range_of_split_years():
    assert [p.label for p in parse_periods("2024:quarters")] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    months = parse_periods("2024:months")
    assert len(months) == 12 and months[-1].end == "2025-01-01"
    seasons = parse_periods("2019..2020:seasons")
    assert len(seasons) == 8 and seasons[4].label == "2020-DJF" and seasons[4].start == "2019-12-01"


def test_explicit_ranges_may_touch():
    assert spans("2024-03-01/2024-06-01, 2024-06-01/2024-09-01") == [
        ("2024-03-01_2024-06-01", "2024-03-01", "2024-06-01"),
        ("2024-06-01_2024-09-01", "2024-06-01", "2024-09-01"),
    ]


@pytest.mark.parametrize(
    "text, says",
    [
        ("2021,2019", "list the periods in time order, e.g. 2019-01-01/2020-01-01, 2021-01-01/2022-01-01"),
        ("2024-03-01/2024-07-01, 2024-06-01/2024-09-01", "overlap: let each period end where or before the next"),
        ("2019..2021, 2021-06", "The periods 2021 (2021-01-01/2022-01-01) and 2021-06 (2021-06-01/2021-07-01) overlap"),
        ("2025..2019", "write the earlier year first, e.g. 2019..2025"),
        ("2024-06-01/2024-03-01", "with the later date second, e.g. 2024-03-01/2024-06-01"),
        ("2024-02-30/2024-06-01", "is not a date: write dates as YYYY-MM-DD"),
        ("19", "is not a year"),
        ("2024:weeks", "use :seasons, :quarters or :months"),
        ("2024-13", "months are 01 to 12"),
        ("2019,,2020", "empty item between two commas"),
        ("1900..2200", "more than a series holds (between 2 and 120)"),
    ],
)
def test_bad_periods_are_refused_with_the_fix(text, says):
    with pytest.raises(PeriodError, match=None) as err:
        parse_periods(text)
    assert says in str(err.value)


def test_one_period_is_not_a_series():
    with pytest.raises(PeriodError) as err:
        check_series(parse_periods("2024"))
    assert "use Change between dates" in str(err.value)
    check_series(parse_periods("2023,2024"))


def test_a_period_from_dates_is_labelled_as_the_syntax_would():
    assert period_of("2019-01-01", "2020-01-01").label == "2019"
    assert period_of("2024-12-01", "2025-01-01").label == "2024-12"
    assert period_of("2024-03-01T00:00:00", "2024-06-01").label == "2024-03-01_2024-06-01"
    with pytest.raises(PeriodError, match="ends before it starts"):
        period_of("2024-06-01", "2024-03-01")


def test_whole_years_are_the_years_of_an_annual_product():
    assert whole_years(parse_periods("2017..2019,2021"), "AlphaEarth") == [2017, 2018, 2019, 2021]
    for text, odd in (
        ("2019,2020-03", "2020-03"),
        ("2024:quarters", "2024-Q1"),
        ("2019-01-01/2019-12-31", "2019-01-01_2019-12-31"),
    ):
        with pytest.raises(PeriodError, match="%s .* is not a calendar year: AlphaEarth has one layer per year" % odd):
            whole_years(parse_periods(text), "AlphaEarth")
