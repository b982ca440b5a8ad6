"""The one rounding rule of every figure the service shows, and the helpers that apply it.

Every mean, gap and percentage shown (report page, PDF, summary CSV, the charts' labels and text
alternatives, the round page's response rates) is rounded by `half_up` here, or by the template
filter `shown` (reports/templatetags/figures.py) that calls it. The report's "How to read this
report" says the same in words.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MINUS = "−"  # a real minus sign, as GOV.UK style prints negative numbers


def half_up(value: float, places: int = 2) -> Decimal:
    """THE rounding rule: a figure is rounded to two decimal places (whole numbers for
    percentages, `places=0`), and a figure exactly half-way is rounded up, away from zero, as UK
    official statistics publish: 0.125 is 0.13, -0.125 is -0.13, 3.995 is 4.00, 12.5% is 13%.

    The float's shortest decimal form (`str`) is what is rounded, so 0.125 is a half whatever
    its binary value; never Python's round() or format(), which round halves to even or by the
    binary value (0.125 would be 0.12). Never "-0.00": a figure that rounds to zero is 0.
    """
    exponent = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP) + 0


def shown(value: float | None) -> str:
    """A mean as printed: "3.13"; "" when there is none (templates add their own words)."""
    return "" if value is None else f"{half_up(value):.2f}"


def signed(value: Decimal) -> str:
    """A difference of shown figures: "+0.45", "−0.45" (a real minus sign) or "0.00"."""
    sign = "+" if value > 0 else MINUS if value < 0 else ""
    return f"{sign}{abs(value):.2f}"
