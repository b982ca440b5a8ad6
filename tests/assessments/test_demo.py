from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import Partnership, Response, Round, Sector

pytestmark = pytest.mark.django_db


def test_demo_has_a_closed_round_of_about_forty_responses_across_sectors_and_an_open_one():
    out = StringIO()
    call_command("create_demo", stdout=out)
    assert "with password" in out.getvalue()

    partnership = Partnership.objects.get(slug="northbridge")
    assert partnership.coordinators.filter(username="demo-coordinator").exists()
    spring = partnership.rounds.get(title="Spring 2026 assessment")
    assert spring.status == Round.Status.CLOSED
    submitted = spring.responses.filter(status=Response.Status.SUBMITTED)
    assert submitted.count() == 40
    sectors = set(submitted.values_list("sector", flat=True))
    assert Sector.THIRD_SECTOR in sectors and len(sectors) >= 5
    assert spring.responses.filter(comments__isnull=False).exists()
    assert spring.actions.count() == 3

    autumn = partnership.rounds.get(status=Round.Status.OPEN)
    assert autumn.responses.filter(status=Response.Status.SUBMITTED).count() == 7
    assert autumn.responses.filter(status=Response.Status.DRAFT).count() == 2


def test_the_demo_report_shows_the_benchmark_against_six_partnerships(client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    call_command("create_demo", stdout=StringIO())
    spring = Round.objects.get(partnership__slug="northbridge", title="Spring 2026 assessment")
    client.force_login(get_user_model().objects.get(username="demo-coordinator"))
    html = client.get(reverse("reports:round-report", args=["northbridge", spring.pk])).content
    html = html.decode()
    assert "How this round compares with 6 other partnerships in Northshire Voluntary" in html
    assert "Eastfield" not in html  # never named
    # Five of the six compare the third sector with everyone else, so every row of the benchmark
    # (the third sector's view and the gap too) has its spread on every principle.
    benchmark = html[html.index('id="benchmark"') :]
    assert "Not shown: fewer than 5 partnerships" not in benchmark[: benchmark.index("</section>")]
    # The network's staff see all seven partnerships, and Northbridge's shared report.
    client.force_login(get_user_model().objects.get(username="demo-network"))
    page = client.get(reverse("networks:network-detail", args=["northshire"])).content.decode()
    assert "The results of 7 partnerships in Northshire Voluntary Action Network" in page
    assert "Eastfield Local Strategic Partnership" in page
    shared = reverse("networks:network-round", args=["northshire", spring.pk])
    assert shared in page and client.get(shared).status_code == 200


def test_running_the_demo_again_changes_nothing():
    call_command("create_demo", stdout=StringIO())
    before = Response.objects.count()
    out = StringIO()
    call_command("create_demo", stdout=out)
    assert Response.objects.count() == before
    assert "password printed on first run" in out.getvalue()
