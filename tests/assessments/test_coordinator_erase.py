import pytest
from django.urls import reverse

from assessments.models import Member
from reports.report import report_build
from tests.factories import make_member, make_response

pytestmark = pytest.mark.django_db


def test_erasing_asks_first_and_says_answers_stay(coordinator_client, partnership):
    member = make_member(partnership, name="Pat Example")
    page = coordinator_client.get(
        reverse("assessments:member-erase", args=["riverside", member.pk])
    )
    assert "Erase the personal details of Pat Example?" in page.content.decode()
    assert Member.objects.get(pk=member.pk).name == "Pat Example"


def test_erasing_leaves_the_report_unchanged_and_the_name_gone(
    coordinator_client, partnership, open_round
):
    member = make_member(partnership, name="Pat Example", email="pat@example.org")
    make_response(open_round, scores=2, member=member)
    for _ in range(5):
        make_response(open_round, scores=5)
    before = report_build(open_round)

    response = coordinator_client.post(
        reverse("assessments:member-erase", args=["riverside", member.pk]), follow=True
    )

    html = response.content.decode()
    assert "The personal details of Pat Example have been erased." in html
    assert "pat@example.org" not in html
    assert report_build(open_round) == before
    assert not Member.objects.filter(name="Pat Example").exists()
    assert not Member.objects.filter(email="pat@example.org").exists()


def test_an_erased_member_cannot_be_edited_or_erased_again(coordinator_client, partnership):
    member = make_member(partnership)
    url = reverse("assessments:member-erase", args=["riverside", member.pk])
    coordinator_client.post(url)
    assert coordinator_client.post(url).status_code == 404
    edit = reverse("assessments:member-edit", args=["riverside", member.pk])
    assert coordinator_client.get(edit).status_code == 404
