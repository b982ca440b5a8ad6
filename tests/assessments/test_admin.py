import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from assessments.models import Partnership
from tests.factories import make_response, make_user

pytestmark = pytest.mark.django_db


def test_an_admin_creates_a_partnership_with_a_coordinator_who_can_then_run_it(
    admin_client, admin_user, client
):
    coordinator = make_user("new-coordinator")
    response = admin_client.post(
        reverse("admin:assessments_partnership_add"),
        {
            "name": "Seaside Partnership",
            "slug": "seaside",
            "area": "Seaside",
            "coordinators": [coordinator.pk],
            "rounds-TOTAL_FORMS": 0,
            "rounds-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    partnership = Partnership.objects.get(slug="seaside")
    entry = LogEntry.objects.get(object_id=str(partnership.pk))
    assert entry.user == admin_user  # who, and entry.action_time says when

    client.force_login(coordinator)
    page = client.get(reverse("assessments:partnership-list"))
    assert "Seaside Partnership" in page.content.decode()


def test_the_admin_never_offers_responses_or_answers(admin_client, open_round):
    make_response(open_round)
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "Partnerships" in index and "Members" in index
    for model in ["response", "answer", "invitation", "comment"]:
        assert f"/admin/assessments/{model}/" not in index


@pytest.mark.parametrize("model", ["partnership", "member", "round"])
def test_admin_lists_answer(admin_client, open_round, model):
    assert admin_client.get(reverse(f"admin:assessments_{model}_changelist")).status_code == 200


def test_an_opened_rounds_minimum_group_size_cannot_be_lowered_in_admin(admin_client, open_round):
    page = admin_client.get(reverse("admin:assessments_round_change", args=[open_round.pk]))
    assert 'name="min_group_size"' not in page.content.decode()


def test_a_member_answering_an_open_round_keeps_their_address_in_admin(admin_client, open_round):
    response = make_response(open_round, submit=False)
    member = response.invitation.member
    page = admin_client.get(reverse("admin:assessments_member_change", args=[member.pk]))
    assert 'name="email"' not in page.content.decode()
