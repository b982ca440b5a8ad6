import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from principles.models import Band, Principle, ScalePoint, Statement

pytestmark = pytest.mark.django_db

FRAMEWORK_ORDER = [
    "Accountability",
    "Equality",
    "Leadership",
    "Openness",
    "Clarity of purpose",
    "Sustainability",
    "Local values",
]


def load() -> str:
    out = StringIO()
    call_command("load_principles", stdout=out)
    return out.getvalue()


def test_the_seven_principles_load_in_framework_order():
    load()
    assert [p.title for p in Principle.objects.all()] == FRAMEWORK_ORDER
    assert list(Principle.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6, 7]


def test_each_principle_has_three_to_five_statements():
    load()
    for principle in Principle.objects.all():
        assert 3 <= principle.statements.count() <= 5, principle


def test_the_fixture_has_no_placeholder_text():
    text = (settings.BASE_DIR / "fixtures" / "principles.json").read_text().lower()
    for placeholder in ("lorem", "ipsum", "todo", "tbc", "placeholder", "xxx"):
        assert placeholder not in text


def test_the_scale_and_bands_load():
    load()
    assert list(ScalePoint.objects.values_list("label", flat=True)) == [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ]
    assert [(b.name, str(b.min_mean)) for b in Band.objects.all()] == [
        ("Strength", "4.00"),
        ("Developing", "3.00"),
        ("Priority for action", "1.00"),
    ]


def test_loading_twice_changes_nothing():
    load()
    before = list(Statement.objects.values_list("pk", "text"))
    output = load()
    assert list(Statement.objects.values_list("pk", "text")) == before
    assert "0 added" in output
    assert Principle.objects.count() == 7


def test_an_admins_wording_survives_a_reload():
    load()
    statement = Statement.objects.get(principle__slug="openness", order=1)
    statement.text = "Papers arrive a fortnight before each board meeting."
    statement.save()
    Principle.objects.filter(slug="equality").update(title="Fairness and equality")

    load()

    statement.refresh_from_db()
    assert statement.text == "Papers arrive a fortnight before each board meeting."
    assert Principle.objects.get(slug="equality").title == "Fairness and equality"


def test_a_deleted_statement_comes_back_but_others_are_untouched(tmp_path):
    load()
    Statement.objects.filter(principle__slug="leadership", order=4).delete()
    load()
    assert Statement.objects.filter(principle__slug="leadership").count() == 4


def test_the_fixture_names_no_primary_keys_so_it_never_overwrites_rows():
    records = json.loads((settings.BASE_DIR / "fixtures" / "principles.json").read_text())
    assert all("pk" not in record for record in records)
