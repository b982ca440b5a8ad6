"""The report's figures as printed, by the one rounding rule (reports/rounding.py)."""

from django import template

from .. import rounding

register = template.Library()


@register.filter
def shown(value: float | None) -> str:
    """{{ mean|shown|default:"No scores" }}: two decimals, halves rounded away from zero."""
    return rounding.shown(value)
