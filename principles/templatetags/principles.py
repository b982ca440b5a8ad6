"""Figures about the live framework for pages that have no round to count from (the home page)."""

from django import template

from ..models import Statement

register = template.Library()


@register.simple_tag
def active_statement_count() -> int:
    """How many statements a round opened today would ask: the active ones."""
    return Statement.objects.filter(is_active=True).count()
