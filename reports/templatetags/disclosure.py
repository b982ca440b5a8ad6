"""The round's page (an assessments template) shows its response counts through the gate."""

from django import template

from assessments.models import Round

from .. import disclosure

register = template.Library()


@register.inclusion_tag("reports/includes/_response_rates.html")
def response_rates(round: Round) -> dict:
    sectors = disclosure.response_rates(round)
    invited = sum(sector.invited for sector in sectors)
    responded = sum(sector.responded for sector in sectors)
    total = disclosure.SectorRate("All sectors", invited, responded)
    return {"sectors": sectors, "total": total}


@register.simple_tag
def with_response_totals(rounds) -> list[Round]:
    """The rounds, each with `.response_total` (invited, responded, percent) from the gate, for
    the partnership page's list: one query for the whole list.

    {% with_response_totals rounds as rounds %}
    """
    rounds = list(rounds)
    totals = disclosure.response_totals(rounds)
    for round in rounds:
        round.response_total = totals[round.pk]
    return rounds
