"""Every page of the service, as the people who use it reach it, with the data to show them.

Used by the browser test that measures each page at 320 and 1280 px and runs axe on it
(tests/browser/test_every_page.py) and by the crawl that looks for template syntax left in the
output (tests/ops/test_template_syntax.py). `url_names()` reads the URL resolver, and both check
that every URL name of our namespaces is either visited here or skipped in SKIP with a reason,
so a page added later fails them until it is listed.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments import audit, services
from assessments.models import Invitation, Sector, token_new
from principles.models import Principle
from reports.models import Action, ShareLink
from tests.factories import (
    closed_round_bulk,
    link_token,
    make_invitation,
    make_member,
    make_network,
    make_partnership,
    make_report_round,
    make_response,
    make_round,
    make_team_invitation,
    make_user,
    network_join,
    publish,
    share_round,
)

NAMESPACES = ["assessments", "reports", "respond", "pages", "principles", "team", "networks"]


# Long words that must wrap, not widen a phone's page.
LONG_EMAIL = (
    "christopher.featherstonehaugh-worthington@riverside-council-for-voluntary-service.org.uk"
)
LONG_ORGANISATION = "Riverside and District Council for Voluntary Service (Infrastructure)"


@dataclass(frozen=True)
class Visit:
    name: str  # "namespace:url-name"
    persona: str  # "anonymous", "coordinator", "reader" or "admin"
    kwargs: Callable[[SimpleNamespace], dict] = lambda s: {}
    state: str = ""  # which of the page's states this visit shows
    status: int = 200
    submit: bool = False  # then send the form empty, for its error state

    def url(self, service: SimpleNamespace) -> str:
        if self.name.startswith("/"):
            return self.name
        return reverse(self.name, kwargs=self.kwargs(service))

    def __str__(self) -> str:
        state = f" ({self.state})" if self.state else ""
        return f"{self.name}{state}{' sent empty' if self.submit else ''}"


def _slug(s):
    return {"slug": s.partnership.slug}


def _round(key: str):
    return lambda s: {"slug": s.partnership.slug, "pk": getattr(s, key).pk}


def _member(s):
    return {"slug": s.partnership.slug, "pk": s.member.pk}


def _action(s):
    return {"slug": s.partnership.slug, "pk": s.report_round.pk, "action_pk": s.action.pk}


def _workshop(key: str, number: int):
    return lambda s: {"slug": s.partnership.slug, "pk": getattr(s, key).pk, "number": number}


def _invitation(s):
    return {"slug": s.partnership.slug, "pk": s.open_round.pk, "invitation_pk": s.failed.pk}


def _token(key: str, **extra):
    return lambda s: {"token": getattr(s, key), **extra}


def _reset(s):
    uid = urlsafe_base64_encode(force_bytes(s.coordinator.pk))
    return {"uidb64": uid, "token": default_token_generator.make_token(s.coordinator)}


def _admin(model: str, view: str):
    def kwargs(s):
        if view == "changelist":
            return {}
        obj = s.principle if model == "principle" else s.statement
        return {"object_id": obj.pk}

    return Visit(f"admin:principles_{model}_{view}", "admin", kwargs)


def _teammate(key: str):
    return lambda s: {"slug": s.partnership.slug, "user_pk": getattr(s, key).pk}


def _team_invitation(s):
    return {"slug": s.partnership.slug, "invitation_pk": s.team_invitation.pk}


def _share_link(s):
    return {"slug": s.partnership.slug, "pk": s.report_round.pk, "link_pk": s.share_link.pk}


# URL names not visited as pages, each with the reason and the URL's arguments; the crawl checks
# that each reason holds (a download is not HTML, a POST-only action answers GET with 405).
DOWNLOAD = "a download, not a page"
POST_ONLY = "an action: POST only, it has no page of its own"
SKIP = {
    "assessments:member-import-template": (DOWNLOAD, _slug),
    "assessments:member-import-confirm": (POST_ONLY, _slug),
    "assessments:round-not-responded": (DOWNLOAD, _round("open_round")),
    "assessments:invitation-resend": (POST_ONLY, _invitation),
    "assessments:team-invitation-cancel": (POST_ONLY, _team_invitation),
    "reports:round-report-pdf": (DOWNLOAD, _round("report_round")),
    "reports:round-answers-csv": (DOWNLOAD, _round("report_round")),
    "reports:round-summary-csv": (DOWNLOAD, _round("report_round")),
    "reports:share-link-revoke": (POST_ONLY, _share_link),
    "reports:shared-report-pdf": (DOWNLOAD, _token("share_token")),
    "reports:shared-answers-csv": (DOWNLOAD, _token("share_token")),
    "reports:shared-summary-csv": (DOWNLOAD, _token("share_token")),
    "networks:round-share": (POST_ONLY, _round("report_round")),
    "networks:round-unshare": (POST_ONLY, _round("report_round")),
}

ANONYMOUS = [
    Visit("pages:home", "anonymous"),
    Visit("pages:accessibility", "anonymous"),
    Visit("pages:privacy", "anonymous"),
    Visit("principles:list", "anonymous"),
    Visit("login", "anonymous"),
    Visit("login", "anonymous", submit=True),
    Visit("password_reset", "anonymous"),
    Visit("password_reset", "anonymous", submit=True),
    Visit("password_reset_done", "anonymous"),
    Visit("password_reset_confirm", "anonymous", _reset, state="a working link"),
    Visit("password_reset_complete", "anonymous"),
    Visit("admin:login", "anonymous"),
    Visit("/no-such-page/", "anonymous", state="not found", status=404),
    # A respondent's personal link, in each state a round can be in.
    Visit("respond:start", "anonymous", _token("started_token"), state="answers started"),
    Visit("respond:start", "anonymous", _token("new_token"), state="nothing answered yet"),
    Visit("respond:principle", "anonymous", _token("started_token", number=1)),
    Visit("respond:check", "anonymous", _token("started_token")),
    Visit("respond:done", "anonymous", _token("submitted_token")),
    Visit("respond:start", "anonymous", _token("closed_token"), state="round closed"),
    Visit("respond:start", "anonymous", _token("draft_token"), state="round not open"),
    Visit("respond:start", "anonymous", _token("bad_token"), state="link not working", status=404),
    Visit("reports:shared-report", "anonymous", _token("share_token")),
    # A colleague's link to join the team, with no account, with one, and spoiled.
    Visit("team:join", "anonymous", _token("join_token"), state="no account yet"),
    Visit("team:join", "anonymous", _token("join_token"), state="no account yet", submit=True),
    Visit("team:join", "anonymous", _token("join_existing_token"), state="an account: sign in"),
    Visit("team:join", "anonymous", _token("bad_token"), state="link not working", status=404),
]

COORDINATOR = [
    Visit("assessments:partnership-list", "coordinator"),
    Visit("assessments:partnership-detail", "coordinator", _slug),
    Visit("assessments:partnership-contact", "coordinator", _slug),
    Visit("assessments:partnership-activity", "coordinator", _slug),
    Visit(
        "/partnerships/riverside/activity/?date_from_0=31&date_from_1=2&date_from_2=2026",
        "coordinator",
        state="filters in error",
    ),
    Visit("assessments:member-add", "coordinator", _slug),
    Visit("assessments:member-add", "coordinator", _slug, submit=True),
    Visit("assessments:member-edit", "coordinator", _member),
    Visit("assessments:member-erase", "coordinator", _member),
    Visit("assessments:member-import", "coordinator", _slug),
    Visit("assessments:member-import", "coordinator", _slug, submit=True),
    Visit("assessments:round-add", "coordinator", _slug),
    Visit("assessments:round-add", "coordinator", _slug, submit=True),
    Visit("assessments:round-detail", "coordinator", _round("draft"), state="draft"),
    Visit("assessments:round-detail", "coordinator", _round("open_round"), state="open"),
    Visit("assessments:round-detail", "coordinator", _round("report_round"), state="closed"),
    Visit("assessments:round-edit", "coordinator", _round("draft")),
    Visit("assessments:round-invitees", "coordinator", _round("draft")),
    Visit("assessments:round-open", "coordinator", _round("draft")),
    Visit("assessments:round-close", "coordinator", _round("open_round")),
    Visit("assessments:round-send-invitations", "coordinator", _round("open_round")),
    Visit("assessments:round-send-reminders", "coordinator", _round("open_round")),
    Visit("assessments:round-closing-date", "coordinator", _round("open_round")),
    Visit("assessments:round-copy", "coordinator", _round("report_round")),
    Visit("assessments:invitation-send-link", "coordinator", _invitation),
    Visit("reports:round-report", "coordinator", _round("report_round"), state="closed"),
    Visit("reports:round-report", "coordinator", _round("open_round"), state="open, interim"),
    Visit("reports:action-add", "coordinator", _round("report_round")),
    Visit("reports:action-add", "coordinator", _round("report_round"), submit=True),
    Visit("reports:action-edit", "coordinator", _action),
    Visit("reports:action-delete", "coordinator", _action),
    Visit("reports:share-links", "coordinator", _round("report_round")),
    Visit("reports:workshop", "coordinator", _round("report_round")),
    Visit(
        "reports:workshop-principle",
        "coordinator",
        _workshop("report_round", 4),
        state="figures, comments and an action",
    ),
    Visit(
        "reports:workshop-principle",
        "coordinator",
        _workshop("open_round", 7),
        state="open, no figures yet",
    ),
    Visit("password_change", "coordinator"),
    Visit("password_change_done", "coordinator"),
    Visit(
        "assessments:partnership-detail",
        "coordinator",
        lambda s: {"slug": s.other_partnership.slug},
        state="another partnership's",
        status=404,
    ),
    Visit("assessments:team", "coordinator", _slug),
    Visit("assessments:team-invite", "coordinator", _slug),
    Visit("assessments:team-invite", "coordinator", _slug, submit=True),
    Visit("assessments:team-remove", "coordinator", _teammate("reader"), state="a reader"),
    Visit("assessments:team-remove", "coordinator", _teammate("coordinator"), state="the last one"),
    Visit("team:join", "coordinator", _token("join_token"), state="signed in as someone else"),
]

# A reader of the partnership's reports (its chair, say): read-only pages, and 403 elsewhere.
READER = [
    Visit("assessments:partnership-list", "reader"),
    Visit("assessments:partnership-detail", "reader", _slug, state="read only"),
    Visit("reports:round-report", "reader", _round("report_round"), state="read only"),
    Visit("assessments:round-edit", "reader", _round("draft"), state="refused", status=403),
    Visit("team:join", "reader", _token("reader_join_token"), state="signed in: accept"),
]

ADMIN = [
    Visit("admin:index", "admin"),
    *[
        _admin(model, view)
        for model in ["principle", "statement"]
        for view in ["changelist", "change", "history"]
    ],
]


def _lone(s):
    return {"slug": s.lone_partnership.slug}


def _network(key: str):
    return lambda s: {"slug": getattr(s, key).slug}


def _network_round(s):
    return {"slug": s.network.slug, "pk": s.report_round.pk}


# Networks: the coordinator joins (with a partnership in none) and leaves (Riverside, in one);
# the network's staff see its partnerships, a shared round's report and the benchmark.
NETWORKS = [
    Visit("assessments:partnership-detail", "coordinator", _lone, state="not in a network"),
    Visit("networks:partnership-network", "coordinator", _lone),
    Visit("networks:partnership-network", "coordinator", _lone, submit=True),
    Visit("networks:partnership-network-leave", "coordinator", _slug),
    Visit("networks:network-list", "network_staff"),
    Visit("networks:network-detail", "network_staff", _network("network")),
    Visit("networks:network-round", "network_staff", _network_round),
    Visit(
        "networks:network-detail",
        "network_staff",
        _network("other_network"),
        state="another network's",
        status=404,
    ),
]

VISITS = ANONYMOUS + COORDINATOR + NETWORKS + READER + ADMIN


def url_names() -> set[str]:
    """Every URL name in our namespaces, as the resolver has them now."""
    resolver = get_resolver()
    names = set()
    for namespace in NAMESPACES:
        _, sub_resolver = resolver.namespace_dict[namespace]
        names |= {f"{namespace}:{k}" for k in sub_resolver.reverse_dict if isinstance(k, str)}
    return names


def coverage_problems() -> list[str]:
    """URL names neither visited nor skipped, and skips of names that no longer exist."""
    names = url_names()
    visited = {visit.name for visit in VISITS}
    missing = sorted(names - visited - set(SKIP))
    stale = sorted(set(SKIP) - names)
    return [f"not visited and not in SKIP: {name}" for name in missing] + [
        f"in SKIP but no longer a URL: {name}" for name in stale
    ]


def build_service() -> SimpleNamespace:
    """A partnership in every state its pages can show: a draft, an open round with invitations
    (one e-mail failed, one response started, one submitted), a closed round with a report,
    an action and a share link, an earlier round for the trend, and a site admin."""
    call_command("load_principles", verbosity=0)
    s = SimpleNamespace()
    s.coordinator = make_user("coordinator", first_name="Priya", last_name="Shah")
    s.admin = make_user("site-admin", is_staff=True, is_superuser=True)
    s.partnership = make_partnership(
        s.coordinator,
        name="Riverside and District Local Strategic Partnership",
        slug="riverside",
        contact_name="Priya Shah",
        contact_email=LONG_EMAIL,
    )
    s.other_partnership = make_partnership(make_user("other-coordinator"))
    s.member = make_member(
        s.partnership,
        name="Christopher Featherstonehaugh",
        email=LONG_EMAIL,
        organisation=LONG_ORGANISATION,
    )
    _report_rounds(s)
    _open_round(s)
    s.draft = make_round(s.partnership, open=False, invite_all_members=False, title="Spring 2027")
    s.draft_token = make_invitation(s.draft, s.member)[1]
    s.bad_token = "this-link-was-never-sent"
    _team(s)
    _network_of_partnerships(s)
    _activity(s)
    s.principle = Principle.objects.order_by("number").first()
    s.statement = s.principle.statements.order_by("order").first()
    return s


def _report_rounds(s: SimpleNamespace) -> None:
    comment = "Papers arrive late: https://riverside.example.org/board-papers/2026/autumn"
    round = make_report_round(
        s.partnership, title="Autumn 2026 assessment", comment=lambda index: comment
    )
    s.closed_token = link_token(round.invitations.first())
    s.action = Action.objects.create(
        round=round,
        principle=round.principles.get(number=4),
        description="Send board papers ten working days before each meeting.",
        owner="Partnership manager",
        due_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    Action.objects.create(round=round, description="Hold two meetings a year in the evening.")
    s.share_token, hashed = token_new()
    s.share_link = ShareLink.objects.create(
        round=round, token_hash=hashed, label=f"Forum, for {LONG_EMAIL}"
    )
    services.round_close(round=round)
    s.report_round = publish(round)


def _team(s: SimpleNamespace) -> None:
    """A reader of the reports, and invitations to the team: one for an address with no
    account (a long one, to wrap), one for an existing account, one for the reader's own."""
    s.reader = make_user("reader", first_name="Rosa", last_name="Reed")
    s.partnership.readers.add(s.reader)
    invited = {"invited_by": s.coordinator}
    s.team_invitation, s.join_token = make_team_invitation(
        s.partnership, LONG_EMAIL, "coordinator", **invited
    )
    existing = make_user("existing-account")
    s.join_existing_token = make_team_invitation(s.partnership, existing.email, **invited)[1]
    s.reader_join_token = make_team_invitation(
        s.partnership, s.reader.email, "coordinator", **invited
    )[1]


def _activity(s: SimpleNamespace) -> None:
    """Entries of the audit trail by the coordinator (the services above wrote the system's),
    more than a page of them, so the activity page shows its pagination."""
    who, Kind = s.coordinator, audit.Kind
    for _ in range(25):
        audit.record(who, Kind.REPORT_VIEWED, s.partnership, s.report_round)
    audit.record(who, Kind.MEMBER_CHANGED, s.partnership, s.member, fields=["email"])
    audit.record(who, Kind.INVITATIONS_SENT, s.partnership, s.open_round, count=12)
    for _ in range(25):
        audit.record(who, Kind.PDF_DOWNLOADED, s.partnership, s.report_round)


def _open_round(s: SimpleNamespace) -> None:
    s.open_round = make_round(
        s.partnership, title="Winter 2026 assessment", invite_all_members=False
    )
    s.failed, _ = make_invitation(s.open_round, s.member)
    Invitation.objects.filter(pk=s.failed.pk).update(
        send_status=Invitation.SendStatus.FAILED,
        send_error="The e-mail server refused it: mailbox unavailable.",
    )
    started = make_response(s.open_round, scores=4, submit=False)
    s.started_token = link_token(started.invitation)
    submitted = make_response(s.open_round, scores=2, sector=Sector.HEALTH)
    s.submitted_token = link_token(submitted.invitation)
    s.new_token = make_invitation(s.open_round)[1]


def _network_of_partnerships(s: SimpleNamespace) -> None:
    """Riverside in a network (with a long name, to wrap) of seven partnerships, each with a
    closed round shared with it: the report's benchmark against six others and the network's
    page across all seven. Another network, and a partnership of the coordinator's in none."""
    s.network_staff = make_user("network-officer", first_name="Sam", last_name="Okafor")
    s.network = make_network(
        "Northshire and District Council for Voluntary Service Network of Partnerships",
        staff=[s.network_staff],
        slug="northshire",
    )
    s.other_network = make_network("Southshire Network", slug="southshire")
    network_join(s.partnership, s.network, s.coordinator)
    share_round(s.report_round, s.coordinator)
    for n in range(6):
        peer = make_partnership(name=f"Eastfield Local Strategic Partnership {n + 1}")
        network_join(peer, s.network)
        groups = [(Sector.THIRD_SECTOR, 5, n % 5 + 1), (Sector.HEALTH, 5, 3)]
        share_round(closed_round_bulk(peer, groups, title="Spring 2026 assessment"))
    s.lone_partnership = make_partnership(
        s.coordinator, name="Lakeside Partnership", slug="lakeside"
    )
