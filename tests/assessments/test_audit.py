"""The audit trail: each thing a coordinator does leaves exactly one entry, naming who, what and
on which object; a refused action leaves none; an erased member leaves no trace in it; and the
activity page lists it, filters it and pages it, for the partnership's coordinators only."""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import audit, services
from assessments.audit import Kind, LogEntry
from assessments.models import Member, Partnership, Round
from reports.models import Action, ShareLink
from tests.factories import (
    make_invitation,
    make_member,
    make_partnership,
    make_report_round,
    make_round,
    make_user,
    publish,
)

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year + 1


def dates(prefix: str, day: int | str, month: int | str, year: int | str) -> dict:
    return {f"{prefix}_0": str(day), f"{prefix}_1": str(month), f"{prefix}_2": str(year)}


def day_fields(prefix: str, day: datetime.date) -> dict:
    return dates(prefix, day.day, day.month, day.year)


@pytest.fixture
def world(partnership, principles):
    """A partnership with a member, a draft, an open round with an invitation, and a closed
    round with a report, an action and a share link."""
    w = SimpleNamespace(partnership=partnership)
    w.member = make_member(partnership, name="Zebedee Quartermaine", email="zebedee@example.org")
    w.draft = make_round(partnership, open=False, title="Spring 2027")
    w.open_round = make_round(partnership, title="Winter 2026", invite_all_members=False)
    w.invitation, _ = make_invitation(w.open_round, w.member)
    w.invitation.round = w.open_round
    report = make_report_round(partnership, title="Autumn 2026", bulk=True)
    services.round_close(round=report)
    w.report = publish(report)
    w.action = Action.objects.create(round=report, description="Send papers early.")
    w.link = ShareLink.objects.create(round=report, token_hash="x" * 64, label="Forum")
    return w


def url(name: str, w, *args) -> str:
    namespace = "reports" if name.split(":")[0] == "reports" else "assessments"
    return reverse(f"{namespace}:{name.split(':')[-1]}", args=[w.partnership.slug, *args])


# One function per kind: does it through the test client, returns the object it acted on.


def round_created(client, w):
    client.post(
        url("round-add", w),
        {
            "title": "Summer 2027",
            **dates("opens_on", 1, 6, YEAR),
            **dates("closes_on", 30, 6, YEAR),
            "min_group_size": "5",
            "invite_all_members": "on",
        },
    )
    return Round.objects.get(title="Summer 2027")


def round_changed(client, w):
    client.post(
        url("round-edit", w, w.draft.pk),
        {
            "title": "Spring 2027, renamed",
            **day_fields("opens_on", w.draft.opens_on),
            **day_fields("closes_on", w.draft.closes_on),
            "min_group_size": "5",
        },
    )
    return w.draft


def round_opened(client, w):
    client.post(url("round-open", w, w.draft.pk))
    return w.draft


def round_closed(client, w):
    client.post(url("round-close", w, w.open_round.pk))
    return w.open_round


def round_extended(client, w):
    later = w.open_round.closes_on + datetime.timedelta(days=7)
    client.post(url("round-closing-date", w, w.open_round.pk), day_fields("closes_on", later))
    return w.open_round


def round_copied(client, w):
    client.post(
        url("round-copy", w, w.report.pk),
        {
            "title": "Autumn 2027",
            **dates("opens_on", 1, 10, YEAR),
            **dates("closes_on", 31, 10, YEAR),
        },
    )
    return Round.objects.get(title="Autumn 2027")


def invitations_sent(client, w):
    client.post(url("round-send-invitations", w, w.open_round.pk))
    return w.open_round


def reminders_sent(client, w):
    client.post(url("round-send-reminders", w, w.open_round.pk))
    return w.open_round


def link_sent(client, w):
    client.post(url("invitation-send-link", w, w.open_round.pk, w.invitation.pk))
    return w.member


def member_data(**changes) -> dict:
    return {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "organisation": "Analytical CVS",
        "sector": "third_sector",
        "role": Member.Role.BOARD,
    } | changes


def member_added(client, w):
    client.post(url("member-add", w), member_data())
    return Member.objects.get(email="ada@example.org")


def member_changed(client, w):
    data = member_data(name=w.member.name, email=w.member.email, organisation="Another CVS")
    client.post(url("member-edit", w, w.member.pk), data)
    return w.member


def members_imported(client, w):
    rows = "name,email,organisation,sector,role\nAda,ada@example.org,,third_sector,\n"
    upload = SimpleUploadedFile("members.csv", rows.encode(), content_type="text/csv")
    preview = client.post(url("member-import", w), {"file": upload, "existing": "update"})
    checked = preview.context["form"].initial["checked"]
    client.post(url("member-import-confirm", w), {"checked": checked})
    return w.partnership


def member_erased(client, w):
    client.post(url("member-erase", w, w.member.pk))
    return w.member


def contact_changed(client, w):
    data = {"contact_name": "Priya Shah", "contact_email": "priya@example.org"}
    client.post(url("partnership-contact", w), data)
    return w.partnership


def report_viewed(client, w):
    assert client.get(url("reports:round-report", w, w.report.pk)).status_code == 200
    return w.report


def pdf_downloaded(client, w):
    assert client.get(url("reports:round-report-pdf", w, w.report.pk)).status_code == 200
    return w.report


def csv_downloaded(client, w):
    assert client.get(url("reports:round-summary-csv", w, w.report.pk)).status_code == 200
    return w.report


def share_link_created(client, w):
    data = {"label": "Forum, May", **dates("expires_on", "", "", "")}
    client.post(url("reports:share-links", w, w.report.pk), data)
    return ShareLink.objects.get(label="Forum, May")


def share_link_revoked(client, w):
    client.post(url("reports:share-link-revoke", w, w.report.pk, w.link.pk))
    return w.link


def action_data(w, **changes) -> dict:
    return {
        "principle": w.report.principles.get(number=6).pk,
        "description": "Pay representatives' expenses.",
        "owner": "",
        **dates("due_on", "", "", ""),
        "status": Action.Status.PLANNED,
    } | changes


def action_added(client, w):
    client.post(url("reports:action-add", w, w.report.pk), action_data(w))
    return Action.objects.get(description="Pay representatives' expenses.")


def action_changed(client, w):
    data = action_data(w, description=w.action.description, status=Action.Status.IN_PROGRESS)
    client.post(url("reports:action-edit", w, w.report.pk, w.action.pk), data)
    return w.action


def action_deleted(client, w):
    target = Action(pk=w.action.pk)
    client.post(url("reports:action-delete", w, w.report.pk, w.action.pk))
    return target


def review_saved(client, w):
    data = {
        "learned": "Reporting back reaches the forum only.",
        "agreed_score": "2",
        "description": "",
        "owner": "",
        **dates("due_on", "", "", ""),
    }
    client.post(url("reports:workshop-principle", w, w.report.pk, 1), data)
    return w.report


KINDS = {
    Kind.ROUND_CREATED: round_created,
    Kind.ROUND_CHANGED: round_changed,
    Kind.ROUND_OPENED: round_opened,
    Kind.ROUND_CLOSED: round_closed,
    Kind.ROUND_EXTENDED: round_extended,
    Kind.ROUND_COPIED: round_copied,
    Kind.INVITATIONS_SENT: invitations_sent,
    Kind.REMINDERS_SENT: reminders_sent,
    Kind.LINK_SENT: link_sent,
    Kind.MEMBER_ADDED: member_added,
    Kind.MEMBER_CHANGED: member_changed,
    Kind.MEMBERS_IMPORTED: members_imported,
    Kind.MEMBER_ERASED: member_erased,
    Kind.CONTACT_CHANGED: contact_changed,
    Kind.REPORT_VIEWED: report_viewed,
    Kind.PDF_DOWNLOADED: pdf_downloaded,
    Kind.CSV_DOWNLOADED: csv_downloaded,
    Kind.SHARE_LINK_CREATED: share_link_created,
    Kind.SHARE_LINK_REVOKED: share_link_revoked,
    Kind.ACTION_ADDED: action_added,
    Kind.ACTION_CHANGED: action_changed,
    Kind.ACTION_DELETED: action_deleted,
    Kind.REVIEW_SAVED: review_saved,
}


def new_entries(before: set[int]):
    return LogEntry.objects.exclude(pk__in=before).order_by("pk")


def existing() -> set[int]:
    return set(LogEntry.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("kind", list(KINDS), ids=[str(k) for k in KINDS])
def test_each_action_leaves_one_entry_naming_who_what_and_on_what(
    kind, world, coordinator, coordinator_client
):
    before = existing()
    target = KINDS[kind](coordinator_client, world)
    entries = list(new_entries(before))
    assert [entry.additional_data["kind"] for entry in entries] == [kind]
    entry = entries[0]
    assert entry.actor == coordinator
    assert entry.additional_data["partnership"] == world.partnership.pk
    assert (entry.content_type.model_class(), entry.object_pk) == (type(target), str(target.pk))
    current = type(target).objects.filter(pk=target.pk).first() or target  # as it is now
    assert entry.object_repr == audit.safe_repr(current)
    assert entry.remote_addr is None and entry.actor_email is None and entry.changes is None


def test_the_other_downloads_are_recorded_with_which_file(world, coordinator_client):
    before = existing()
    coordinator_client.get(url("round-not-responded", world, world.open_round.pk))
    coordinator_client.get(url("reports:round-answers-csv", world, world.report.pk))
    files = [e.additional_data["file"] for e in new_entries(before)]
    assert files == ["not_responded", "answers"]


def test_a_member_is_named_by_number_and_an_action_by_number(world, coordinator_client):
    assert member_changed(coordinator_client, world)
    assert action_changed(coordinator_client, world)
    reprs = list(LogEntry.objects.order_by("-pk").values_list("object_repr", flat=True)[:2])
    assert reprs == [f"Action {world.action.pk}", f"Member {world.member.pk}"]


def test_sending_to_many_members_is_one_entry_with_a_count(world, coordinator_client):
    for _ in range(29):
        make_invitation(world.open_round)
    before = existing()
    invitations_sent(coordinator_client, world)
    (entry,) = new_entries(before)
    assert entry.additional_data["count"] == 30
    assert audit.describe(entry) == "Invitations sent to 30 members"


def test_an_import_is_one_entry_with_what_it_added_and_updated(world, coordinator_client):
    before = existing()
    members_imported(coordinator_client, world)
    (entry,) = new_entries(before)
    assert (entry.additional_data["added"], entry.additional_data["updated"]) == (1, 0)
    assert audit.describe(entry) == "1 added, 0 updated"


def test_the_purge_erases_as_the_system(world):
    before = existing()
    services.member_erase(member=world.member)
    (entry,) = new_entries(before)
    assert entry.actor is None
    assert audit.actor_name(entry) == "System"


# Refused: nothing recorded


def refused_round(client, w):
    return client.post(url("round-add", w), {"title": ""})


def refused_member(client, w):
    return client.post(url("member-add", w), member_data(email="not an address"))


def refused_closing_date(client, w):
    return client.post(url("round-closing-date", w, w.open_round.pk), dates("closes_on", 31, 2, 1))


def refused_open(client, w):
    return client.post(url("round-open", w, w.open_round.pk))  # already open


def refused_invitations(client, w):
    return client.post(url("round-send-invitations", w, w.report.pk))  # closed


def refused_action(client, w):
    return client.post(url("reports:action-add", w, w.report.pk), action_data(w, description=""))


def refused_share_link(client, w):
    data = {"label": "x" * 101, **dates("expires_on", "", "", "")}
    return client.post(url("reports:share-links", w, w.report.pk), data)


def refused_contact(client, w):
    return client.post(url("partnership-contact", w), {"contact_email": "not an address"})


@pytest.mark.parametrize(
    "refuse",
    [
        refused_round,
        refused_member,
        refused_closing_date,
        refused_open,
        refused_invitations,
        refused_action,
        refused_share_link,
        refused_contact,
    ],
)
def test_a_refused_action_records_nothing(refuse, world, coordinator_client):
    before = existing()
    response = refuse(coordinator_client, world)
    assert response.status_code in (200, 302)
    assert not new_entries(before).exists()


def test_a_stranger_records_nothing(world, client, other_coordinator):
    client.force_login(other_coordinator)
    before = existing()
    assert client.post(url("round-close", world, world.open_round.pk)).status_code == 404
    assert client.get(url("reports:round-report", world, world.report.pk)).status_code == 404
    assert not new_entries(before).exists()


# Erasure


def test_an_erased_member_leaves_no_name_or_address_anywhere_in_the_trail(
    world, coordinator_client
):
    member = world.member
    data = member_data(name="Zebedee Q. Quartermaine", email="zq@example.org", organisation="ZQ")
    coordinator_client.post(url("member-edit", world, member.pk), data)
    invitations_sent(coordinator_client, world)
    reminders_sent(coordinator_client, world)
    link_sent(coordinator_client, world)
    coordinator_client.get(url("round-not-responded", world, world.open_round.pk))
    member_erased(coordinator_client, world)
    kinds = set(LogEntry.objects.values_list("additional_data__kind", flat=True))
    assert {Kind.MEMBER_CHANGED, Kind.INVITATIONS_SENT, Kind.REMINDERS_SENT} <= kinds
    assert {Kind.LINK_SENT, Kind.MEMBER_ERASED} <= kinds
    dump = serializers.serialize("json", LogEntry.objects.all()).lower()
    for secret in ["Zebedee", "Quartermaine", "zebedee@example.org", "zq@example.org", '"ZQ"']:
        assert secret.lower() not in dump
    assert f"member {member.pk}" in dump


def test_details_that_could_hold_a_person_are_refused(world):
    with pytest.raises(TypeError):
        audit.record(None, Kind.MEMBER_CHANGED, world.partnership, world.member, who=world.member)


# The activity page


def activity_url(partnership: Partnership, **query) -> str:
    base = reverse("assessments:partnership-activity", args=[partnership.slug])
    if not query:
        return base
    return base + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def rows(response) -> list:
    return response.context["rows"]


def at(entry: LogEntry, when: datetime.datetime) -> LogEntry:
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=when)
    return entry


def test_the_activity_page_lists_who_did_what_newest_first(partnership, coordinator_client):
    user = make_user("priya", first_name="Priya", last_name="Shah")
    july = datetime.datetime(2026, 7, 1, 12, 5, tzinfo=datetime.UTC)
    at(audit.record(None, Kind.ROUND_CLOSED, partnership), july)
    at(audit.record(user, Kind.INVITATIONS_SENT, partnership, count=12), july.replace(hour=13))
    response = coordinator_client.get(activity_url(partnership))
    page = response.content.decode()
    assert [row["who"] for row in rows(response)] == ["Priya Shah", "System"]
    assert "Invitations sent to 12 members" in page
    assert "1 July 2026 at 2:05pm" in page  # UK time: 13:05 UTC in summer
    assert "1 July 2026 at 1:05pm" in page
    assert reverse("assessments:partnership-activity", args=[partnership.slug]) in (
        coordinator_client.get(
            reverse("assessments:partnership-detail", args=[partnership.slug])
        ).content.decode()
    )


def test_the_activity_page_filters_by_kind_and_uk_day(partnership, coordinator_client):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London.
    late = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    first = at(audit.record(None, Kind.ROUND_OPENED, partnership), late)
    at(audit.record(None, Kind.ROUND_CLOSED, partnership), late - datetime.timedelta(hours=1))
    at(audit.record(None, Kind.ROUND_OPENED, partnership), late + datetime.timedelta(days=2))
    july_first = {**dates("date_from", 1, 7, 2026), **dates("date_to", 1, 7, 2026)}
    response = coordinator_client.get(activity_url(partnership, **july_first))
    assert [row["entry"] for row in rows(response)] == [first]
    response = coordinator_client.get(activity_url(partnership, kind=Kind.ROUND_OPENED))
    assert len(rows(response)) == 2
    assert "2 entries match the filters" in response.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        (dates("date_from", 31, 2, 2026), "Date from must be a real date"),
        (dates("date_to", 1, "", 2026), "Date to must include a month"),
        (
            {**dates("date_from", 2, 7, 2026), **dates("date_to", 1, 7, 2026)},
            "Date to must be the same as or after date from",
        ),
        ({"kind": "nonsense"}, "Select what happened"),
    ],
)
def test_filters_that_make_no_sense_get_the_error_summary(
    query, message, partnership, coordinator_client
):
    audit.record(None, Kind.ROUND_OPENED, partnership)
    response = coordinator_client.get(activity_url(partnership, **query))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert rows(response) == []


def test_the_activity_page_is_in_pages_of_fifty_in_constant_queries(
    partnership, coordinator_client, django_assert_num_queries
):
    user = make_user("priya")
    for n in range(120):
        audit.record(user if n % 2 else None, Kind.REPORT_VIEWED, partnership, count=n)
    # The session, the user, the partnership (checked against the user), the count, the page of
    # entries with their actors.
    for page in ["1", "3"]:
        with django_assert_num_queries(5):
            response = coordinator_client.get(activity_url(partnership, page=page))
        assert response.status_code == 200
    assert len(rows(coordinator_client.get(activity_url(partnership, page="2")))) == 50
    last = coordinator_client.get(activity_url(partnership, page="3"))
    assert len(rows(last)) == 20
    assert 'aria-label="Page 2"' in last.content.decode()
    # A page that is not one shows the nearest, never an error.
    assert coordinator_client.get(activity_url(partnership, page="zzz")).status_code == 200
    assert len(rows(coordinator_client.get(activity_url(partnership, page="99")))) == 20


def test_page_links_keep_the_filters(partnership, coordinator_client):
    for _ in range(60):
        audit.record(None, Kind.ROUND_OPENED, partnership)
    page = coordinator_client.get(activity_url(partnership, kind=Kind.ROUND_OPENED)).content
    assert f"?kind={Kind.ROUND_OPENED}&amp;page=2".encode() in page


def test_a_partnership_sees_only_its_own_trail(partnership, coordinator_client):
    other = make_partnership(name="Hillside")
    audit.record(None, Kind.ROUND_OPENED, other)
    assert rows(coordinator_client.get(activity_url(partnership))) == []


def test_a_stranger_gets_404_and_a_reader_403(partnership, client, other_coordinator, reader):
    client.force_login(other_coordinator)
    assert client.get(activity_url(partnership)).status_code == 404
    client.force_login(reader)
    assert client.get(activity_url(partnership)).status_code == 403


def test_the_activity_page_cannot_change_anything(partnership, coordinator_client):
    audit.record(None, Kind.ROUND_OPENED, partnership)
    assert coordinator_client.post(activity_url(partnership)).status_code == 405
    assert LogEntry.objects.count() == 1


# Django admin: read only, no delete


def test_the_admin_shows_the_trail_but_cannot_change_or_delete_it(partnership, admin_client):
    entry = audit.record(None, Kind.ROUND_OPENED, partnership)
    changelist = reverse("admin:auditlog_logentry_changelist")
    assert admin_client.get(changelist).status_code == 200
    change = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"object_repr": "Changed"}).status_code == 403
    delete = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert admin_client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.object_repr == partnership.name
    assert LogEntry.objects.count() == 1


def test_entries_are_stored_as_plain_json(partnership):
    entry = audit.record(
        None, Kind.ROUND_EXTENDED, partnership, closes_on=datetime.date(2026, 5, 1)
    )
    assert json.loads(json.dumps(entry.additional_data))["closes_on"] == "2026-05-01"
    assert audit.describe(entry) == "Closes on 1 May 2026"


@pytest.mark.parametrize(
    "kind, details, sentence",
    [
        (Kind.REMINDERS_SENT, {"count": 1}, "Reminders sent to 1 member"),
        (Kind.ROUND_OPENED, {"invited": 3}, "3 members added to the invitation list"),
        (Kind.ROUND_OPENED, {"invited": 0}, ""),
        (Kind.MEMBER_CHANGED, {"fields": ["email", "sector"]}, "Changed: e-mail address, sector"),
        (Kind.LINK_SENT, {"new_link": True}, "A new link, and the old one stopped working"),
        (Kind.CSV_DOWNLOADED, {"file": "not_responded"}, "Who has not responded"),
        (Kind.SHARE_LINK_CREATED, {"expires": False}, "With no expiry date"),
        (
            Kind.REVIEW_SAVED,
            {"principle": 3, "fields": ["agreed_score"]},
            "Principle 3. Changed: agreed rating",
        ),
        (
            Kind.TEAM_INVITED,
            {"role": "reader", "replaced": 1},
            "As a reader of the reports, in place of an earlier invitation",
        ),
        (Kind.NETWORK_JOINED, {"network": 4}, ""),
        # What it was about, where the object itself does not say (a member, a share link).
        (
            Kind.LINK_SENT,
            {"round": 3, "round_title": "Spring 2027", "new_link": False},
            "Spring 2027",
        ),
        (
            Kind.SHARE_LINK_CREATED,
            {"round_title": "Spring 2027", "expires": True},
            "With an expiry date (Spring 2027)",
        ),
        (Kind.SHARE_LINK_REVOKED, {"round": 3, "round_title": "Spring 2027"}, "Spring 2027"),
        (
            Kind.NETWORK_LEFT,
            {"network": 4, "network_name": "Northshire VA", "shares_removed": 2},
            "Northshire VA: 2 shared rounds no longer shared",
        ),
        (
            Kind.REPORT_VIEWED,
            {"network_name": "Northshire VA"},
            "By the staff of Northshire VA",
        ),
        (
            Kind.MEMBER_CHANGED,
            {"fields": ["organisation"], "in_admin": True},
            "Changed: organisation. In the site admin",
        ),
        (
            Kind.ROUND_SHARED,
            {"network": 4, "extra_count": 2, "flag": True},
            "Extra count: 2; Flag: yes",
        ),
    ],
)
def test_each_entry_reads_as_a_short_sentence(kind, details, sentence, partnership):
    assert audit.describe(audit.record(None, kind, partnership, **details)) == sentence


# Reading is one entry a visit; a HEAD request reads nothing


@pytest.mark.parametrize("name", ["round-report", "round-report-pdf", "round-summary-csv"])
def test_a_head_request_leaves_no_entry(name, world, coordinator_client):
    before = existing()
    response = coordinator_client.head(url(f"reports:{name}", world, world.report.pk))
    assert response.status_code == 200
    assert not new_entries(before).exists()


def test_coming_back_to_the_report_from_its_action_form_is_one_visit(world, coordinator_client):
    report = url("reports:round-report", world, world.report.pk)
    coordinator_client.get(report)
    before = existing()
    response = coordinator_client.post(
        url("reports:action-add", world, world.report.pk), action_data(world), follow=True
    )
    assert response.redirect_chain and response.redirect_chain[-1][0].startswith(report)
    assert [e.additional_data["kind"] for e in new_entries(before)] == [Kind.ACTION_ADDED]
    # A visit later than VISIT after the last is a visit of its own.
    LogEntry.objects.update(timestamp=timezone.now() - audit.VISIT - datetime.timedelta(1))
    before = existing()
    coordinator_client.get(report)
    assert [e.additional_data["kind"] for e in new_entries(before)] == [Kind.REPORT_VIEWED]


def test_each_persons_visit_is_their_own(world, coordinator_client):
    colleague = make_user("colleague")
    world.partnership.readers.add(colleague)
    client = Client()
    client.force_login(colleague)
    report = url("reports:round-report", world, world.report.pk)
    before = existing()
    coordinator_client.get(report)
    client.get(report)
    assert [e.actor for e in new_entries(before)] == [
        world.partnership.coordinators.get(),
        colleague,
    ]


# What a site admin changes in Django admin is in the partnership's trail too


def test_what_an_admin_adds_changes_and_deletes_is_in_the_trail(world, admin_client, admin_user):
    member = world.member
    change = reverse("admin:assessments_member_change", args=[member.pk])
    form = {
        "partnership": world.partnership.pk,
        "name": member.name,
        "email": member.email,
        "organisation": "Northbridge CVS",
        "sector": member.sector,
        "role": member.role,
    }
    before = existing()
    assert admin_client.post(change, form).status_code == 302
    admin_client.post(
        reverse("admin:assessments_member_add"), form | {"name": "Ada", "email": "ada@example.org"}
    )
    admin_client.post(
        reverse("admin:assessments_round_delete", args=[world.draft.pk]), {"post": "yes"}
    )
    entries = list(new_entries(before))
    assert [e.additional_data["kind"] for e in entries] == [
        Kind.MEMBER_CHANGED,
        Kind.MEMBER_ADDED,
        Kind.ROUND_DELETED,
    ]
    assert all(e.actor == admin_user for e in entries)
    assert audit.describe(entries[0]) == "Changed: organisation. In the site admin"
    assert entries[0].object_repr == f"Member {member.pk}"  # never the name
    assert entries[2].object_repr == "Spring 2027"
    assert not Round.objects.filter(pk=world.draft.pk).exists()
    page = admin_client.get(url("partnership-activity", world)).content.decode()
    assert "Changed: organisation. In the site admin" in page


def test_a_round_changed_on_the_partnerships_admin_page_is_in_the_trail(world, admin_client):
    page = admin_client.get(
        reverse("admin:assessments_partnership_change", args=[world.partnership.pk])
    )
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in ["name", "slug", "area"]}
    data |= {"contact_name": "", "contact_email": ""}
    data["coordinators"] = [u.pk for u in world.partnership.coordinators.all()]
    rounds = list(world.partnership.rounds.order_by("pk"))
    data |= {
        "rounds-TOTAL_FORMS": len(rounds),
        "rounds-INITIAL_FORMS": len(rounds),
        "rounds-MIN_NUM_FORMS": 0,
        "rounds-MAX_NUM_FORMS": 1000,
    }
    for n, round in enumerate(rounds):
        title = "Spring 2027, corrected" if round == world.draft else round.title
        data |= {
            f"rounds-{n}-id": round.pk,
            f"rounds-{n}-partnership": world.partnership.pk,
            f"rounds-{n}-title": title,
            f"rounds-{n}-opens_on": round.opens_on.isoformat(),
            f"rounds-{n}-closes_on": round.closes_on.isoformat(),
        }
    before = existing()
    response = admin_client.post(
        reverse("admin:assessments_partnership_change", args=[world.partnership.pk]), data
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    entries = list(new_entries(before))
    assert [(e.additional_data["kind"], e.object_repr) for e in entries] == [
        (Kind.ROUND_CHANGED, "Spring 2027, corrected")
    ]
    assert audit.describe(entries[0]) == "Changed: title. In the site admin"
    # Deleting the draft on the same page is one entry too, naming it.
    n = rounds.index(world.draft)
    data[f"rounds-{n}-DELETE"] = "on"
    data[f"rounds-{n}-title"] = "Spring 2027, corrected"
    before = existing()
    response = admin_client.post(
        reverse("admin:assessments_partnership_change", args=[world.partnership.pk]), data
    )
    assert response.status_code == 302
    assert [(e.additional_data["kind"], e.object_repr) for e in new_entries(before)] == [
        (Kind.ROUND_DELETED, "Spring 2027, corrected")
    ]
    assert not Round.objects.filter(pk=world.draft.pk).exists()
