"""Share links: a coordinator creates and revokes read-only links that the forum opens without an
account. Only the link's hash is stored; a revoked or expired link is a 404 at once."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from assessments import services
from assessments.models import Round, Sector, token_hash, token_new
from reports.models import Action, ShareLink
from tests.factories import make_round, responses_bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(partnership, principles) -> Round:
    round = make_round(partnership)
    people = [Sector.THIRD_SECTOR] * 5 + [Sector.HEALTH] * 5
    responses_bulk(round, [(sector, 4, {1: "Papers come late."}) for sector in people])
    Action.objects.create(round=round, description="Send papers earlier.")
    return services.round_close(round=round)  # all ten are in the final snapshot


def share(round: Round, **fields) -> str:
    token, hashed = token_new()
    ShareLink.objects.create(round=round, token_hash=hashed, **fields)
    return token


def shared(name: str, token: str) -> str:
    return reverse(f"reports:{name}", args=[token])


def links_url(round: Round) -> str:
    return reverse("reports:share-links", args=[round.partnership.slug, round.pk])


def create_link(client, round: Round, **data) -> str:
    """Create a link through the page; return the address it shows once."""
    response = client.post(links_url(round), data, follow=True)
    found = re.search(r'value="(http[^"]+/shared/([^/"]+)/)"', response.content.decode())
    assert found, "the new link is shown"
    return found.group(1)


def test_a_new_link_is_shown_once_and_only_its_hash_is_stored(coordinator_client, round):
    address = create_link(coordinator_client, round, label="Forum, March")
    token = address.rstrip("/").rsplit("/", 1)[1]
    link = round.share_links.get()
    assert (link.label, link.token_hash, link.expires_at) == (
        "Forum, March",
        token_hash(token),
        None,
    )
    assert len(token) >= 43  # 256 random bits
    again = coordinator_client.get(links_url(round)).content.decode()
    assert token not in again
    assert "Forum, March" in again


def test_a_forum_member_reads_the_report_without_an_account(client, round):
    token = share(round)
    response = client.get(shared("shared-report", token))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Papers come late." in page
    assert "Send papers earlier." in page
    assert set(response["Cache-Control"].split(", ")) == {"no-store", "private"}
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_shared_page_changes_nothing_and_shows_no_management(client, round):
    page = client.get(shared("shared-report", share(round))).content.decode()
    slug_path = f"/partnerships/{round.partnership.slug}/"
    assert slug_path not in page  # no action editing, no share links, no coordinator pages
    assert "Add an action" not in page


def test_the_shared_downloads_work(client, round):
    token = share(round)
    assert client.get(shared("shared-report-pdf", token)).content.startswith(b"%PDF")
    csv = b"".join(client.get(shared("shared-answers-csv", token)).streaming_content)
    assert csv.startswith("\ufeffResponse number,Sector,".encode())
    summary = client.get(shared("shared-summary-csv", token)).content
    assert summary.startswith("\ufeffPrinciple number,Principle,".encode())


@pytest.mark.parametrize(
    "name", ["shared-report", "shared-report-pdf", "shared-answers-csv", "shared-summary-csv"]
)
def test_a_revoked_link_stops_working_at_once(coordinator_client, client, round, name):
    token = share(round)
    assert client.get(shared(name, token)).status_code == 200
    link = round.share_links.get()
    revoke = reverse("reports:share-link-revoke", args=[round.partnership.slug, round.pk, link.pk])
    coordinator_client.post(revoke)
    assert client.get(shared(name, token)).status_code == 404


@pytest.mark.parametrize(
    "name", ["shared-report", "shared-report-pdf", "shared-answers-csv", "shared-summary-csv"]
)
def test_an_expired_link_is_404(client, round, name):
    token = share(round, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(shared(name, token)).status_code == 404


@pytest.mark.parametrize(
    "token", ["unknown", "x" * 101, token_new()[0]], ids=["unknown", "too long", "well formed"]
)
def test_an_unknown_link_is_404(client, round, token):
    assert client.get(shared("shared-report", token)).status_code == 404


def test_a_link_to_a_draft_round_is_404(client, partnership, principles):
    draft = make_round(partnership, open=False)
    assert client.get(shared("shared-report", share(draft))).status_code == 404


def test_shared_pages_refuse_posts(client, round):
    assert client.post(shared("shared-report", share(round))).status_code == 405


def test_an_expiry_date_makes_the_link_work_until_the_end_of_that_day(coordinator_client, round):
    last_day = timezone.localdate() + datetime.timedelta(days=10)
    create_link(
        coordinator_client,
        round,
        expires_on_0=last_day.day,
        expires_on_1=last_day.month,
        expires_on_2=last_day.year,
    )
    expires_at = timezone.localtime(round.share_links.get().expires_at)
    assert (expires_at.date(), expires_at.time()) == (
        last_day + datetime.timedelta(days=1),
        datetime.time(0, 0),
    )
    listed = coordinator_client.get(links_url(round)).content.decode()
    assert dateformat.format(last_day, "j F Y") in listed  # the day entered, not the day after


@pytest.mark.parametrize(
    "days, message",
    [(-1, "The last day must be today or in the future"), (400, "within a year from today")],
)
def test_an_expiry_date_out_of_range_is_refused(coordinator_client, round, days, message):
    day = timezone.localdate() + datetime.timedelta(days=days)
    data = {"expires_on_0": day.day, "expires_on_1": day.month, "expires_on_2": day.year}
    response = coordinator_client.post(links_url(round), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "<title>Error: Share the report" in page
    assert not round.share_links.exists()


def test_revoking_needs_a_post_and_the_right_partnership(
    client, coordinator_client, other_coordinator, round
):
    share(round)
    link = round.share_links.get()
    revoke = reverse("reports:share-link-revoke", args=[round.partnership.slug, round.pk, link.pk])
    assert coordinator_client.get(revoke).status_code == 405
    client.force_login(other_coordinator)
    assert client.post(revoke).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_the_list_shows_which_links_work(coordinator_client, round):
    share(round, label="Working one")
    share(round, label="Revoked one", revoked_at=timezone.now())
    share(round, label="Expired one", expires_at=timezone.now() - datetime.timedelta(days=1))
    page = coordinator_client.get(links_url(round)).content.decode()
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page, re.S)[1:]
    states = {
        label: re.search(r"govuk-tag[^>]*>(\w+)<", row).group(1)
        for row in rows
        for label in ("Working one", "Revoked one", "Expired one")
        if label in row
    }
    assert states == {"Working one": "Working", "Revoked one": "Revoked", "Expired one": "Expired"}
    assert page.count("govuk-button--warning") == 1  # one Revoke button: the working link's


def test_a_label_too_long_gets_a_govuk_message(coordinator_client, round):
    response = coordinator_client.post(links_url(round), {"label": "x" * 101})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Who it is for must be 100 characters or fewer" in page
    assert "Ensure this value" not in page
    assert not round.share_links.exists()
