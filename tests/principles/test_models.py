from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from principles.models import Band, Principle, ScalePoint, Statement

pytestmark = pytest.mark.django_db


def test_two_statements_cannot_share_a_position_in_one_principle(principles):
    accountability = Principle.objects.get(slug="accountability")
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.create(principle=accountability, order=1, text="A second first statement")


def test_statement_order_starts_at_one(principles):
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.create(principle=principles[0], order=0, text="Nowhere")


def test_principle_numbers_are_unique(principles):
    with pytest.raises(IntegrityError), transaction.atomic():
        Principle.objects.create(number=1, slug="another", title="Another", summary="x")


def test_scale_points_stay_within_one_to_five(principles):
    ScalePoint.objects.filter(value=5).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        ScalePoint.objects.create(value=6, label="Beyond agree")


def test_band_thresholds_stay_within_the_scale(principles):
    with pytest.raises(IntegrityError), transaction.atomic():
        Band.objects.create(name="Impossible", min_mean=Decimal("5.50"))


@pytest.mark.parametrize(
    ("mean", "band"),
    [
        (4.0, "Strength"),
        (4.7, "Strength"),
        (3.99, "Developing"),
        (3.0, "Developing"),
        (2.99, "Priority for action"),
        (1.0, "Priority for action"),
    ],
)
def test_a_mean_falls_in_the_band_of_design_md(principles, mean, band):
    assert Band.objects.for_mean(mean).name == band


def test_an_admin_can_move_a_band_threshold(principles):
    Band.objects.filter(name="Strength").update(min_mean=Decimal("4.50"))
    assert Band.objects.for_mean(4.2).name == "Developing"


def test_no_answers_means_no_band(principles):
    assert Band.objects.for_mean(None) is None
