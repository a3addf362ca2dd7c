"""Worked examples for the one function that values an SROI activity."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from catalogue.values import activity_value, block_value_label
from wizzr.units import months_between


def block(unit: str, value: str, counting_months: int | None = None) -> SimpleNamespace:
    return SimpleNamespace(unit=unit, value=Decimal(value), counting_months=counting_months)


def bonus(name: str, value: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, value=Decimal(value))


class TestPerYear:
    def test_24_hours_a_week_for_18_months_on_a_2_year_block_counts_fully(self):
        # € 30,000 × 24/36 × 18/12 = € 30,000.00
        result = activity_value(block=block("per_year", "30000", 24), hours_per_week=Decimal("24"), months=Decimal("18"))
        assert result.total == Decimal("30000.00")
        assert result.counted_months == Decimal("18")
        assert result.capped is False

    def test_the_same_placement_on_a_1_year_block_counts_only_12_months(self):
        # € 10,000 × 24/36 × 12/12 = € 6,666.67
        result = activity_value(block=block("per_year", "10000", 12), hours_per_week=Decimal("24"), months=Decimal("18"))
        assert result.total == Decimal("6666.67")
        assert result.counted_months == Decimal("12")
        assert result.capped is True

    def test_a_block_counted_always_has_no_cap(self):
        # € 40,000 × 24/36 × 36/12 = € 80,000.00
        result = activity_value(block=block("per_year", "40000", None), hours_per_week=Decimal("24"), months=Decimal("36"))
        assert result.total == Decimal("80000.00")
        assert result.capped is False

    def test_earlier_periods_of_the_same_placement_use_up_the_counting_duration(self):
        # 18 of 24 months already counted: a further year counts 6 months: € 30,000 × 36/36 × 6/12
        result = activity_value(
            block=block("per_year", "30000", 24),
            hours_per_week=Decimal("36"),
            months=Decimal("12"),
            prior_months=Decimal("18"),
        )
        assert result.total == Decimal("15000.00")
        assert result.counted_months == Decimal("6")

    def test_hours_above_full_time_count_as_full_time(self):
        result = activity_value(block=block("per_year", "10000", None), hours_per_week=Decimal("40"), months=Decimal("12"))
        assert result.total == Decimal("10000.00")

    def test_persons_multiply_the_value(self):
        result = activity_value(
            block=block("per_year", "40000", None), persons=3, hours_per_week=Decimal("18"), months=Decimal("6")
        )
        # 3 × € 40,000 × 18/36 × 6/12 = € 30,000.00
        assert result.total == Decimal("30000.00")

    def test_a_bonus_adds_its_yearly_value_pro_rata(self):
        # Utrecht: Participatiewet € 40,000 + 50-plus bonus € 10,000, at 18 h/week for 12 months
        result = activity_value(
            block=block("per_year", "40000", None),
            hours_per_week=Decimal("18"),
            months=Decimal("12"),
            bonuses=[bonus("Bonus 50-plus", "10000")],
        )
        assert result.base == Decimal("20000.00")
        assert result.bonus == Decimal("5000.00")
        assert result.total == Decimal("25000.00")
        assert result.bonus_names == ("Bonus 50-plus",)

    def test_a_bonus_is_capped_like_its_block(self):
        result = activity_value(
            block=block("per_year", "10000", 12),
            hours_per_week=Decimal("36"),
            months=Decimal("24"),
            bonuses=[bonus("Vast contract", "10000"), bonus("Statushouder", "10000")],
        )
        assert result.total == Decimal("30000.00")

    def test_rounding_happens_once_half_up_to_cents(self):
        # € 30,000 × 20/36 × 7/12 = € 9,722.2222… → € 9,722.22
        result = activity_value(block=block("per_year", "30000", 24), hours_per_week=Decimal("20"), months=Decimal("7"))
        assert result.total == Decimal("9722.22")


def test_six_months_on_a_per_month_block():
    # Werkervaringsplaats € 750 × 6 months
    assert activity_value(block=block("per_month", "750"), months=Decimal("6")).total == Decimal("4500.00")
    assert activity_value(block=block("per_month", "750"), persons=2, months=Decimal("6")).total == Decimal("9000.00")


def test_a_per_month_block_ignores_hours_per_week():
    result = activity_value(block=block("per_month", "750"), months=Decimal("6"), hours_per_week=Decimal("12"))
    assert result.total == Decimal("4500.00")


@pytest.mark.parametrize(
    ("months", "expected"),
    [(Decimal("12"), "20000.00"), (Decimal("18"), "30000.00"), (Decimal("9"), "15000.00"), (Decimal("1.5"), "2500.00")],
)
def test_learn_work_years_count_pro_rata_by_months(months, expected):
    # BBL level 1 and 2: € 20,000 per learn-work year
    assert activity_value(block=block("per_learn_work_year", "20000"), months=months).total == Decimal(expected)


def test_hours_on_a_per_hour_block():
    assert activity_value(block=block("per_hour", "100"), hours=Decimal("37.5")).total == Decimal("3750.00")


@pytest.mark.parametrize(("percentage", "expected"), [("100", "12345.67"), ("50", "6172.84")])
def test_an_invoice_of_12345_67_at_a_percentage(percentage, expected):
    # 50 % of € 12,345.67 is € 6,172.835, rounded half-up to € 6,172.84
    result = activity_value(block=block("invoice_percentage", percentage), invoice_amount=Decimal("12345.67"))
    assert result.total == Decimal(expected)


def test_bonuses_only_apply_to_per_year_blocks():
    result = activity_value(
        block=block("per_month", "750"), months=Decimal("2"), bonuses=[bonus("Bonus 50-plus", "10000")]
    )
    assert result.total == Decimal("1500.00")


def test_missing_quantities_count_as_zero():
    assert activity_value(block=block("per_year", "40000", None)).total == Decimal("0.00")


def test_an_unknown_unit_is_an_error():
    with pytest.raises(ValueError):
        activity_value(block=block("per_fortnight", "1"))


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2024, 1, 1), date(2024, 3, 31), "3.00"),
        (date(2024, 1, 15), date(2024, 2, 14), "1.00"),
        (date(2024, 1, 1), date(2024, 1, 15), "0.48"),
        (date(2023, 2, 1), date(2025, 1, 31), "24.00"),
        (date(2024, 2, 1), date(2024, 2, 29), "1.00"),
        (date(2024, 7, 1), date(2024, 12, 31), "6.00"),
        (date(2024, 1, 1), date(2024, 1, 1), "0.03"),
        (date(2024, 3, 1), date(2024, 2, 1), "0.00"),
    ],
)
def test_months_between_counts_calendar_months_and_a_remainder(start, end, months):
    assert months_between(start, end) == Decimal(months)


@pytest.mark.parametrize(
    ("unit", "value", "counting", "label"),
    [
        ("per_year", "30000", 24, "€ 30.000,00 per jaar, telt 24 maanden"),
        ("per_year", "40000", None, "€ 40.000,00 per jaar, telt altijd"),
        ("per_month", "750", None, "€ 750,00 per maand"),
        ("per_learn_work_year", "20000", None, "€ 20.000,00 per leerwerkjaar"),
        ("per_hour", "100", None, "€ 100,00 per uur"),
        ("invoice_percentage", "100", None, "100 % van het factuurbedrag excl. btw"),
        ("invoice_percentage", "50.5", None, "50,5 % van het factuurbedrag excl. btw"),
    ],
)
def test_a_block_value_reads_as_a_dutch_sentence(unit, value, counting, label):
    from django.utils import translation

    with translation.override("nl"):
        assert block_value_label(block(unit, value, counting)) == label
