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
