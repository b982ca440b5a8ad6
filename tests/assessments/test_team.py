"""Coordinator teams without an admin: inviting a colleague by e-mail, the single-use link with
which they join, the team page, removing people, and what a reader of the reports may see."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments import audit, services
from assessments.models import TeamInvitation, token_hash
from lib.logs import redact_path
from tests.factories import (
    make_member,
    make_partnership,
    make_round,
    make_team_invitation,
    make_user,
)

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-river-bank-7"
User = get_user_model()


def team_url(partnership, name="team", *args) -> str:
    return reverse(f"assessments:{name}", args=[partnership.slug, *args])


def join_url(token: str) -> str:
    return reverse("team:join", args=[token])


def invite(client, partnership, email="Sam.Colleague@Example.org", role="coordinator"):
    return client.post(team_url(partnership, "team-invite"), {"email": email, "role": role})


def emailed_token(message) -> str:
    return re.search(r"/team/join/([\w-]+)/", message.body).group(1)


def join(client, token, name="Sam Colleague", password=PASSWORD, again=None):
    data = {"name": name, "password1": password, "password2": again or password}
    return client.post(join_url(token), data)


# Inviting


def test_a_coordinator_invites_a_colleague_and_only_the_email_holds_the_link(
    coordinator_client, partnership, coordinator, settings
):
    settings.SITE_URL = "https://lsp.example.org"
    response = invite(coordinator_client, partnership)
    assert response.status_code == 302 and response.url == team_url(partnership)
    (message,) = mail.outbox
    assert message.to == ["sam.colleague@example.org"]
    # The coordinator has no name on their account, so their address names them.
    subject = "coordinator@example.org has invited you to the team of Riverside Partnership"
    assert message.subject == subject
    assert message.reply_to == ["coordinator@example.org"]
    token = emailed_token(message)
    assert f"https://lsp.example.org/team/join/{token}/" in message.body
    assert "as a co-coordinator" in message.body
    # Until when, as GOV.UK writes a time ("5:30pm"), in one sentence.
    assert re.search(r"once, until \d{1,2} \w+ \d{4} at \d{1,2}:\d\d[ap]m\. Please", message.body)
    html = message.alternatives[0][0]
    assert f'href="https://lsp.example.org/team/join/{token}/"' in html
    invitation = TeamInvitation.objects.get()
    assert invitation.email == "sam.colleague@example.org"
    assert invitation.role == TeamInvitation.Role.COORDINATOR
    assert invitation.invited_by == coordinator
    assert invitation.token_hash == token_hash(token)
    assert token not in str(TeamInvitation.objects.values().get())  # only its hash is kept
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    page = coordinator_client.get(response.url).content.decode()
    assert "We have e-mailed an invitation to sam.colleague@example.org" in page


def test_the_invite_form_chooses_no_role_for_you_and_says_what_is_missing(
    coordinator_client, partnership
):
    page = coordinator_client.get(team_url(partnership, "team-invite")).content.decode()
    assert "Co-coordinator" in page and "Reads reports only" in page
    assert "checked" not in page
    page = invite(coordinator_client, partnership, email="", role="").content.decode()
    assert "<title>Error: " in page
    assert "Enter your colleague’s e-mail address" in page and "Select what they can do" in page
    page = invite(coordinator_client, partnership, email="not an address").content.decode()
    assert "Enter an e-mail address in the correct format, like name@example.org" in page
    page = invite(coordinator_client, partnership, role="owner").content.decode()
    assert "Select what they can do" in page
    assert TeamInvitation.objects.count() == 0 and mail.outbox == []


def test_an_address_too_long_to_be_a_username_is_refused(coordinator_client, partnership):
    email = "a" * 140 + "@example.org"
    page = invite(coordinator_client, partnership, email=email).content.decode()
    assert "E-mail address must be 150 characters or fewer" in page
    assert not TeamInvitation.objects.exists()


def test_inviting_someone_already_on_the_team_is_refused_kindly(
    coordinator_client, partnership, reader
):
    page = invite(coordinator_client, partnership, email="READER@example.org").content.decode()
    assert "reader@example.org is already on the team" in page
    assert not TeamInvitation.objects.exists() and mail.outbox == []


def test_sending_again_replaces_the_earlier_invitation(client, coordinator_client, partnership):
    invite(coordinator_client, partnership, role="coordinator")
    invite(coordinator_client, partnership, email="sam.colleague@example.org", role="reader")
    first, second = (emailed_token(message) for message in mail.outbox)
    assert partnership.team_invitations.open().get().role == "reader"
    client.logout()
    assert client.get(join_url(first)).status_code == 404
    assert client.get(join_url(second)).status_code == 200


def test_a_refused_email_keeps_no_invitation(coordinator_client, partnership, smtp_server):
    smtp_server.refuse("sam@example.org")
    page = invite(coordinator_client, partnership, email="sam@example.org").content.decode()
    assert "The invitation could not be sent: the e-mail server refused it" in page
    assert not TeamInvitation.objects.exists()
    assert audit.entries_for(partnership).count() == 0


# Joining with the link


def test_a_new_colleague_sets_a_password_and_can_run_a_round(client, partnership, coordinator):
    invitation, token = make_team_invitation(
        partnership, "sam@example.org", "coordinator", invited_by=coordinator
    )
    page = client.get(join_url(token)).content.decode()
    assert "coordinator@example.org has invited" in page and "sam@example.org" in page
    assert "Riverside Partnership" in page and "Co-coordinator" in page
    response = join(client, token)
    assert response.url == reverse("assessments:partnership-detail", args=["riverside"])
    user = User.objects.get(username="sam@example.org")
    assert user.email == "sam@example.org" and user.get_full_name() == "Sam Colleague"
    assert user.check_password(PASSWORD)
    assert list(partnership.coordinators.order_by("pk")) == [coordinator, user]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    page = client.get(response.url).content.decode()  # signed in as them
    assert "You have joined the team of Riverside Partnership as a co-coordinator." in page
    assert client.get(team_url(partnership, "round-add")).status_code == 200


def test_the_link_works_once(client, partnership):
    _, token = make_team_invitation(partnership, "sam@example.org")
    join(client, token)
    client.logout()
    response = client.get(join_url(token))
    assert response.status_code == 404
    page = response.content.decode()
    assert "This link does not work" in page
    assert "ask the coordinator who invited you to send you a new invitation" in page
    assert join(client, token, name="Someone Else").status_code == 404
    assert User.objects.filter(username="sam@example.org").count() == 1


@pytest.mark.parametrize(
    "spoiled",
    ["expired", "cancelled", "accepted", "unknown", "too long"],
)
def test_a_link_that_does_not_work_says_so_and_nothing_else(client, partnership, spoiled):
    invitation, token = make_team_invitation(partnership, "sam@example.org")
    now = timezone.now()
    changes = {"expired": {"expires_at": now}, "cancelled": {"revoked_at": now}}
    changes["accepted"] = {"accepted_at": now}
    TeamInvitation.objects.filter(pk=invitation.pk).update(**changes.get(spoiled, {}))
    token = {"unknown": token[:-2] + "xy", "too long": token * 3}.get(spoiled, token)
    for response in (client.get(join_url(token)), join(client, token)):
        assert response.status_code == 404
        page = response.content.decode()
        assert "This link does not work" in page and "Riverside" not in page
    assert not User.objects.filter(username="sam@example.org").exists()


def test_the_password_passes_djangos_checks(client, partnership):
    _, token = make_team_invitation(partnership, "sam.colleague@example.org")
    page = join(client, token, password="", name="").content.decode()
    assert "Enter your full name" in page and "Enter a password" in page
    page = join(client, token, password="password").content.decode()
    assert "This password is too common." in page
    page = join(client, token, password="12345678901").content.decode()
    assert "This password is entirely numeric." in page
    page = join(client, token, password="sam.colleague1").content.decode()
    assert "too similar to the" in page
    page = join(client, token, again="something-else-9").content.decode()
    assert "The passwords do not match: enter the same one twice" in page
    assert "<title>Error: " in page
    assert not User.objects.filter(username="sam.colleague@example.org").exists()


def test_someone_with_an_account_signs_in_as_it_and_then_accepts(client, partnership):
    sam = User.objects.create_user("sam", email="Sam@Example.org", password="correct-horse-9")
    _, token = make_team_invitation(partnership, "sam@example.org", "reader")
    response = client.get(join_url(token))
    page = response.content.decode()
    assert "There is already an account for sam@example.org" in page
    assert f"{reverse('login')}?next=/team/join/{token}/" in page
    assert 'name="password1"' not in page
    join(client, token)  # a password sent anyway makes no second account, and joins nobody
    assert User.objects.filter(email__iexact="sam@example.org").count() == 1
    assert not partnership.readers.exists()

    signed_in = client.post(
        reverse("login"),
        {"username": "sam", "password": "correct-horse-9", "next": join_url(token)},
    )
    assert signed_in.url == join_url(token)  # the link works after signing in
    assert "Accept and join the team" in client.get(join_url(token)).content.decode()
    response = client.post(join_url(token))
    assert response.url == reverse("assessments:partnership-detail", args=["riverside"])
    assert list(partnership.readers.all()) == [sam]
    assert not partnership.coordinators.filter(pk=sam.pk).exists()


def test_an_account_named_by_the_address_is_found_whatever_its_case(client, partnership):
    User.objects.create_user("Sam@Example.org", password="correct-horse-9")
    _, token = make_team_invitation(partnership, "sam@example.org")
    assert "There is already an account" in client.get(join_url(token)).content.decode()


def test_signed_in_as_someone_else_the_link_asks_to_sign_out_first(
    client, partnership, other_coordinator
):
    invitation, token = make_team_invitation(partnership, "sam@example.org", "coordinator")
    client.force_login(other_coordinator)
    page = client.get(join_url(token)).content.decode()
    assert "You are signed in as other-coordinator" in page
    assert "this invitation is for sam@example.org" in page
    assert client.post(join_url(token)).status_code == 200  # the same page: nothing joined
    assert list(partnership.coordinators.all()) != [other_coordinator]
    assert not partnership.coordinators.filter(pk=other_coordinator.pk).exists()
    invitation.refresh_from_db()
    assert invitation.is_pending
    response = client.post(reverse("logout"), {"next": join_url(token)})
    assert response.url == join_url(token)
    assert 'name="password1"' in client.get(join_url(token)).content.decode()


def test_a_reader_invited_to_co_coordinate_becomes_a_coordinator_only(partnership, reader):
    invitation, _ = make_team_invitation(partnership, "reader@example.org", "coordinator")
    services.team_join(actor=reader, invitation=invitation)
    assert partnership.team_role(reader) == "coordinator"
    assert not partnership.readers.filter(pk=reader.pk).exists()


def test_the_join_link_is_kept_out_of_logs_and_caches(client, partnership):
    _, token = make_team_invitation(partnership)
    assert redact_path(join_url(token)) == "/team/join/[token]/"
    response = client.get(join_url(token))
    assert "no-store" in response["Cache-Control"]


def test_the_join_page_takes_few_queries(client, partnership, django_assert_num_queries):
    _, token = make_team_invitation(partnership, invited_by=partnership.coordinators.get())
    # the invitation with its partnership and who sent it, whether an account has its address
    with django_assert_num_queries(2):
        assert client.get(join_url(token)).status_code == 200


# The team page


def test_the_team_page_lists_the_people_their_roles_and_open_invitations(
    coordinator_client, partnership, reader
):
    make_team_invitation(partnership, "pending@example.org", "coordinator")
    now = timezone.now()
    make_team_invitation(partnership, "expired@example.org", expires_at=now)
    make_team_invitation(partnership, "cancelled@example.org", revoked_at=now)
    make_team_invitation(partnership, "accepted@example.org", accepted_at=now)
    page = coordinator_client.get(team_url(partnership)).content.decode()
    assert re.search(r"coordinator@example.org \(you\)</td>\s*<td[^>]*>Coordinator<", page)
    assert re.search(r"Rosa Reed</td>\s*<td[^>]*>Reads reports only", page)
    assert "pending@example.org" in page
    expires = (now + datetime.timedelta(days=7)).strftime("%-d %B %Y")
    assert expires in page
    for gone in ("expired@", "cancelled@", "accepted@"):
        assert gone not in page
    assert team_url(partnership, "team-remove", reader.pk) in page
    assert team_url(partnership, "team-invite") in page


def test_the_partnership_page_links_to_the_team(coordinator_client, partnership):
    page = coordinator_client.get(team_url(partnership, "partnership-detail")).content.decode()
    assert team_url(partnership) in page


def test_the_team_page_takes_the_same_queries_for_any_size_of_team(
    coordinator_client, partnership, django_assert_num_queries
):
    for _ in range(5):
        partnership.readers.add(make_user())
        make_team_invitation(partnership)
    # session, user, partnership (with the user's role), coordinators, readers, invitations
    with django_assert_num_queries(6):
        coordinator_client.get(team_url(partnership))


def test_the_invite_page_takes_few_queries(
    coordinator_client, partnership, django_assert_num_queries
):
    # session, user, partnership (with the user's role)
    with django_assert_num_queries(3):
        coordinator_client.get(team_url(partnership, "team-invite"))


def test_cancelling_an_invitation_stops_its_link(client, coordinator_client, partnership):
    invitation, token = make_team_invitation(partnership, "sam@example.org")
    cancel = team_url(partnership, "team-invitation-cancel", invitation.pk)
    page = coordinator_client.post(cancel, follow=True).content.decode()
    assert "The invitation to sam@example.org is cancelled: its link no longer works." in page
    assert "sam@example.org</td>" not in page
    page = coordinator_client.post(cancel, follow=True).content.decode()
    assert "The invitation to sam@example.org had already been cancelled." in page
    client.logout()
    assert client.get(join_url(token)).status_code == 404


# Removing people


def test_a_coordinator_removes_a_reader_after_confirming(
    client, coordinator_client, partnership, reader
):
    remove = team_url(partnership, "team-remove", reader.pk)
    page = coordinator_client.get(remove).content.decode()
    assert "Remove Rosa Reed from the team?" in page and "Reads reports only" in page
    page = coordinator_client.post(remove, follow=True).content.decode()
    assert "Rosa Reed has been removed from the team." in page
    assert not partnership.readers.exists()
    client.force_login(reader)
    assert client.get(team_url(partnership, "partnership-detail")).status_code == 404


def test_the_last_coordinator_cannot_leave(coordinator_client, partnership, coordinator):
    remove = team_url(partnership, "team-remove", coordinator.pk)
    page = coordinator_client.get(remove).content.decode()
    assert "You cannot leave the team yet" in page
    assert "You are the only coordinator" in page and "Leave the team</button>" not in page
    page = coordinator_client.post(remove, follow=True).content.decode()
    assert "You are the only coordinator, so you cannot leave the team." in page
    assert list(partnership.coordinators.all()) == [coordinator]


def test_nor_can_a_site_admin_remove_the_last_coordinator(admin_client, partnership, coordinator):
    remove = team_url(partnership, "team-remove", coordinator.pk)
    assert "cannot be removed yet" in admin_client.get(remove).content.decode()
    page = admin_client.post(remove, follow=True).content.decode()
    assert "They are the only coordinator" in page
    assert list(partnership.coordinators.all()) == [coordinator]


def test_a_coordinator_may_leave_while_another_remains(
    coordinator_client, partnership, coordinator
):
    colleague = make_user("colleague")
    partnership.coordinators.add(colleague)
    remove = team_url(partnership, "team-remove", coordinator.pk)
    assert (
        "Leave the team of Riverside Partnership?"
        in coordinator_client.get(remove).content.decode()
    )
    response = coordinator_client.post(remove)
    assert response.url == reverse("assessments:partnership-list")
    page = coordinator_client.get(response.url).content.decode()
    assert "You have left the team of Riverside Partnership." in page
    assert list(partnership.coordinators.all()) == [colleague]
    assert coordinator_client.get(team_url(partnership)).status_code == 404


def test_a_coordinator_removes_a_co_coordinator(coordinator_client, partnership):
    colleague = make_user("colleague", first_name="Cal", last_name="Lee")
    partnership.coordinators.add(colleague)
    coordinator_client.post(team_url(partnership, "team-remove", colleague.pk))
    assert partnership.team_role(colleague) == ""


def test_someone_not_on_the_team_cannot_be_removed(
    coordinator_client, partnership, other_coordinator
):
    remove = team_url(partnership, "team-remove", other_coordinator.pk)
    assert coordinator_client.get(remove).status_code == 404
    assert coordinator_client.post(remove).status_code == 404
    nobody = team_url(partnership, "team-remove", 999999)
    assert coordinator_client.get(nobody).status_code == 404


# What a reader sees


def test_the_list_marks_the_partnerships_a_reader_only_reads(client, reader, coordinator):
    other = make_partnership(coordinator, name="Another Partnership")
    other.coordinators.add(reader)
    client.force_login(reader)
    page = client.get(reverse("assessments:partnership-list")).content.decode()
    riverside = page[page.index("Riverside Partnership") :]
    assert "Read only" in riverside[:300]
    another = page[page.index("Another Partnership") : page.index("Riverside Partnership")]
    assert "Read only" not in another


def test_a_readers_partnership_page_has_report_links_and_no_one_s_details(
    client, reader, partnership, principles
):
    member = make_member(partnership, name="Ada Lovelace", email="ada@example.org")
    opened = make_round(partnership, title="Autumn 2026")
    make_round(partnership, open=False, title="Spring 2027 draft")
    client.force_login(reader)
    response = client.get(team_url(partnership, "partnership-detail"))
    page = response.content.decode()
    assert reverse("reports:round-report", args=[partnership.slug, opened.pk]) in page
    assert "Autumn 2026" in page and "Spring 2027 draft" not in page
    for private in (member.name, member.email, "Members", "Add a round", "Team"):
        assert private not in page
    assert f'href="{team_url(partnership, "round-detail", opened.pk)}"' not in page
    assert "Only the partnership’s coordinators can change anything" in page


def test_a_readers_partnership_page_takes_few_queries(
    client, reader, partnership, principles, django_assert_num_queries
):
    for _ in range(3):
        make_round(partnership)
    client.force_login(reader)
    # session, user, partnership (with the user's role), its opened rounds
    with django_assert_num_queries(4):
        client.get(team_url(partnership, "partnership-detail"))


# The audit trail: one entry a change, without the address, the token or the password


def test_each_change_to_the_team_leaves_one_audit_entry(client, coordinator, partnership, reader):
    services.team_invite(
        actor=coordinator, partnership=partnership, email="a@example.org", role="reader"
    )
    token = emailed_token(mail.outbox[-1])
    invitation = TeamInvitation.objects.get()
    services.team_invitation_revoke(actor=coordinator, invitation=invitation)
    services.team_invite(
        actor=coordinator, partnership=partnership, email="b@example.org", role="coordinator"
    )
    token = emailed_token(mail.outbox[-1])
    join(client, token)
    services.team_remove(actor=coordinator, partnership=partnership, user=reader)
    entries = list(audit.entries_for(partnership).order_by("pk"))
    kinds = [entry.additional_data["kind"] for entry in entries]
    assert kinds == [
        audit.Kind.TEAM_INVITED,
        audit.Kind.TEAM_INVITATION_CANCELLED,
        audit.Kind.TEAM_INVITED,
        audit.Kind.TEAM_JOINED,
        audit.Kind.TEAM_REMOVED,
    ]
    assert entries[3].actor == User.objects.get(username="b@example.org")
    assert [entry.actor for entry in entries if entry is not entries[3]] == [coordinator] * 4
    trail = str([(e.object_repr, e.additional_data, e.changes) for e in entries])
    for secret in ("a@example.org", "b@example.org", token, PASSWORD, "Sam Colleague"):
        assert secret not in trail
