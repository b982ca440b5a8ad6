"""The action plan and the meeting's review, looked up per principle for the report's sections."""

from django import template

from reports.report import Commitment, Report, Review

register = template.Library()


@register.simple_tag
def commitments_for(report: Report, number: int) -> list[Commitment]:
    return report.commitments(number)


@register.simple_tag
def review_for(report: Report, number: int) -> Review | None:
    return report.reviews.get(number)
