"""Fuzzing with hypothesis: random and malformed input to every form and URL parameter.

Two properties hold for every example, whatever was sent:

1. No response is a server error. The test client is told not to re-raise view exceptions
   (`raise_request_exception = False`), so a crash is a 500 with its traceback attached; any
   status of 500 or more fails the example (503 too: DatabaseUnavailableMiddleware turns an
   OperationalError into a "try again" page, and the test database is never unavailable, so a
   503 here would be input reaching the database that should have been refused). An exception
   that escapes the client, or a streamed download that breaks half-way, fails it as well.
2. Nothing is stored that a form would have refused: `assert_invariants` reads every table the
   forms write and checks each row against the forms' own rules (see there).

Each test builds its data once (the `world` fixture) and runs its examples in it; every example
runs inside a savepoint that is rolled back (`Fuzzer.example`), so no example sees another's
writes. That is why the function-scoped fixture health check is suppressed: the fixture is
shared by the examples on purpose and reset by hand.

Strings: all of Unicode except lone surrogates (category Cs). The test client encodes form
data, paths and query strings as UTF-8 and raises UnicodeEncodeError on a surrogate, and no
browser sends one (it sends U+FFFD). Bytes that are not UTF-8 at all reach the views through
percent-encoded paths and raw request bodies instead.
"""

import datetime
import re
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, reduce
from operator import or_
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan
from django.http import HttpResponse
from django.test import Client, TestCase
from django.utils import timezone
from django_tasks.signals import task_finished
from hypothesis import HealthCheck, currently_in_test_context, event, settings
from hypothesis import strategies as st

from assessments import services
from assessments.forms.coordinator import MIN_GROUP_SIZE_MAX
from assessments.forms.respondent import COMMENT_MAX
from assessments.models import (
    MIN_GROUP_SIZE_FLOOR,
    Answer,
    Comment,
    Invitation,
    Member,
    Response,
    Round,
    Sector,
    token_new,
)
from principles.models import SCORE_MAX, SCORE_MIN
from reports.models import Action, ShareLink
from tests.factories import (
    make_invitation,
    make_member,
    make_partnership,
    make_response,
    make_round,
    make_user,
)


def pytest_collection_modifyitems(items):
    # `make test-fast` leaves them out (`-m "not browser and not fuzz"`); `make test` runs them.
    for item in items:
        if "tests/fuzz/" in str(item.fspath):
            item.add_marker(pytest.mark.fuzz)


# Settings


def fuzz_settings(examples: int) -> settings:
    """A fixed number of examples, the same ones on every run and machine (derandomize)."""
    return settings(
        max_examples=examples,
        # A request and its queries take from a few to a few hundred milliseconds.
        deadline=None,
        # Repeatable in CI: examples come from a seed fixed by the test, not from a database of
        # earlier failures that differs between machines.
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


# Strategies

ANY_CHAR = st.characters(codec="utf-8", exclude_categories=("Cs",))
TEXT = st.text(ANY_CHAR, max_size=40)
TRICKY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t\r\n",
    "0",
    "-1",
    "007",
    str(2**31),
    str(2**63),
    str(2**70),
    str(-(2**70)),
    "1e9",
    "1.5",
    "NaN",
    "٣",  # Arabic-Indic three: int() accepts it
    "３",  # full-width three
    "1_0",  # int() accepts underscores
    "on",
    "None",
    "null",
    "[]",
    "=1+1",
    "+44 1234",
    "-2+3",
    "@SUM(A1:A2)",
    '=HYPERLINK("http://example.com","x")',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "\ufeff",
    "\u202e",
    "\u200b",
    "😀",
    "Zoë Ünal-Øster",
]
LONG_TEXT = st.builds(
    lambda unit, times: unit * times,
    st.text(ANY_CHAR, min_size=1, max_size=3),
    st.integers(min_value=50, max_value=3000),
)
NUMBER_TEXT = st.integers(min_value=-(2**80), max_value=2**80).map(str)
JUNK = st.one_of(st.sampled_from(TRICKY), TEXT, NUMBER_TEXT, LONG_TEXT)
FIELD_NAMES = st.one_of(TEXT, st.sampled_from(["q", "q0", "q-1", f"q{2**70}", "comment[]"]))
# GET and POST are what the pages take, so they come up most.
METHODS = st.sampled_from(["GET", "GET", "GET", "POST", "POST", "POST", "HEAD", "PUT", "DELETE"])
BODIES = st.one_of(
    st.dictionaries(FIELD_NAMES, st.one_of(JUNK, st.lists(JUNK, max_size=3)), max_size=4),
    st.binary(max_size=300),  # a raw urlencoded body, not necessarily UTF-8
)
HUGE_INTS = [2**31, 2**63 - 1, 2**63, 2**64, 2**70, 10**30]
ODD_DATE_PARTS = ["", " 1 ", "0", "00", "32", "13", "-1", "0000", "9999", "26", "20261", "２", "٣"]


def mostly(usual: st.SearchStrategy, odd: st.SearchStrategy) -> st.SearchStrategy:
    """`usual` three times in four, else `odd`."""
    return st.integers(0, 3).flatmap(lambda n: odd if n == 0 else usual)


def pks(*valid: int) -> st.SearchStrategy[int]:
    """A primary key for an <int:...> URL parameter: mostly one that exists, so that the pages
    behind the URL are reached too, else any integer (a negative one never matches <int:>)."""
    anything = st.one_of(st.integers(-(2**80), 2**80), st.sampled_from(HUGE_INTS))
    return mostly(st.sampled_from(valid), anything) if valid else anything


def segments(*valid: str) -> st.SearchStrategy[str]:
    """A path segment as sent on the wire: mostly a valid one, else anything, percent-encoded."""
    anything = st.one_of(
        TEXT.map(lambda text: quote(text, safe="")),
        st.binary(max_size=30).map(lambda data: quote(data, safe="")),  # not even UTF-8
        st.sampled_from(["..", ".", "%2e%2e", "a/b", "..%2F..", "%5C..", "~", "-1", "%00"]),
        LONG_TEXT.map(lambda text: quote(text, safe="")),
        NUMBER_TEXT,
        st.sampled_from([str(n) for n in HUGE_INTS]),
    )
    return mostly(st.sampled_from(valid), anything) if valid else anything


def with_case_changed(values: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(values).flatmap(
        lambda value: st.sampled_from([value, value.upper(), f" {value.title()} "])
    )


@st.composite
def form_data(draw, fields: Mapping[str, st.SearchStrategy]) -> dict:
    """A form's fields with plausible values, some of them broken, plus unknown fields.

    Each broken field is dropped, emptied, replaced by junk, or sent twice (the view reads the
    last one), so the valid path and every way off it are both explored.
    """
    data: dict = {name: draw(strategy) for name, strategy in fields.items()}
    broken = draw(st.sets(st.sampled_from(sorted(fields)))) if fields else set()
    for name in sorted(broken):
        how = draw(st.sampled_from(["drop", "empty", "junk", "twice"]))
        if how == "drop":
            del data[name]
        elif how == "empty":
            data[name] = ""
        elif how == "junk":
            data[name] = draw(JUNK)
        else:
            data[name] = [draw(JUNK), data[name]]
    extra = draw(st.dictionaries(FIELD_NAMES, JUNK, max_size=3))
    return extra | data


@st.composite
def date_parts(draw, prefix: str, around: datetime.date) -> dict[str, str]:
    """The day, month and year boxes of a GOV.UK date input: a real date near `around`, or
    day 31 of February, with none, one or more boxes changed to year 0, a two- or five-digit
    year, a huge number, other digits, or text."""
    date = draw(st.dates(around - datetime.timedelta(days=400), around + datetime.timedelta(800)))
    parts = [str(date.day), str(date.month), str(date.year)]
    if draw(st.integers(0, 9)) == 0:
        parts = ["31", "2", str(around.year + 1)]
    odd = [*ODD_DATE_PARTS, *(str(n) for n in HUGE_INTS)]
    for index in sorted(draw(st.sets(st.sampled_from([0, 1, 2])))):
        parts[index] = draw(st.one_of(st.sampled_from(odd), JUNK))
    return {f"{prefix}_{index}": part for index, part in enumerate(parts)}


def route_paths(module, prefix: str) -> list[tuple[str, str]]:
    """(name, route) of every URL pattern of a urls module, so a new URL is fuzzed too."""
    return [(pattern.name, prefix + str(pattern.pattern)) for pattern in module.urlpatterns]


def fill(route: str, values: Mapping[str, object]) -> str:
    return re.sub(r"<\w+:(\w+)>", lambda match: str(values[match.group(1)]), route)


# Requests


@dataclass
class Fuzzer:
    """Sends requests that must not fail, each example in a savepoint rolled back after."""

    client: Client

    @contextmanager
    def example(self) -> Iterator["Fuzzer"]:
        # A message left over from the example before would only add noise to this one.
        self.client.cookies.pop("messages", None)
        with transaction.atomic():
            yield self
            assert_invariants()
            transaction.set_rollback(True)

    def request(self, method: str, path: str, data=None, **extra) -> HttpResponse:
        send = getattr(self.client, method.lower())
        failed_tasks: list[str] = []

        def task_failed(sender, task_result, **kwargs) -> None:
            failed_tasks.extend(error.traceback for error in task_result.errors)

        task_finished.connect(task_failed)
        try:
            # E-mails are queued on commit; run them as the immediate task backend would in
            # production, inside this example's savepoint.
            with TestCase.captureOnCommitCallbacks(execute=True):
                response = send(path, data, **extra) if data is not None else send(path, **extra)
            if response.streaming:
                b"".join(response.streaming_content)  # a download can break half-way
        except Exception as error:
            raise AssertionError(f"{method} {path!r} raised {error!r} in the client") from error
        finally:
            task_finished.disconnect(task_failed)
        if response.status_code >= 500:
            exc_info = getattr(response, "exc_info", None)
            trace = "".join(traceback.format_exception(*exc_info)) if exc_info else ""
            raise AssertionError(f"{method} {path!r} answered {response.status_code}\n{trace}")
        # The immediate backend catches a task's exception and reports it only by signal.
        assert not failed_tasks, f"{method} {path!r}: a background task failed\n{failed_tasks}"
        # Shown by --hypothesis-show-statistics: how often each outcome was reached.
        if currently_in_test_context():
            event(f"{method} {response.status_code}")
        return response

    def post(self, path: str, data, *, follow: bool = False) -> HttpResponse:
        """POST form fields or a raw body (any bytes, not only UTF-8). With `follow`, also GET
        the page a redirect leads to: whatever a form stored must show without an error."""
        if isinstance(data, bytes):
            kwargs = {"content_type": "application/x-www-form-urlencoded"}
            response = self.request("POST", path, data, **kwargs)
        else:
            response = self.request("POST", path, data)
        if follow and response.status_code == 302:
            self.request("GET", response.url)
        return response

    def send(self, method: str, path: str, body) -> HttpResponse:
        """A request by any method; a body (form fields or raw bytes) goes with a POST only."""
        if method == "POST":
            return self.post(path, body)
        return self.request(method, path)


def fuzzer(client: Client) -> Fuzzer:
    client.raise_request_exception = False
    return Fuzzer(client)


@pytest.fixture
def coordinator_fuzzer(world) -> Fuzzer:
    client = Client()
    client.force_login(world.coordinator)
    return fuzzer(client)


@pytest.fixture
def anonymous_fuzzer(db) -> Fuzzer:
    return fuzzer(Client())


# What the forms allow, checked in the database after every example


def _text_ok(value: str, max_length: int, *, blank: bool = False) -> bool:
    return "\x00" not in value and len(value) <= max_length and (blank or bool(value.strip()))


@cache
def _too_long() -> QuerySet:
    """Rows of any model, ours or a library's, with a string longer than its column; one query.

    SQLite does not check lengths, PostgreSQL does (a DataError: a 500), so without this a
    too-long value would pass the fuzz tests on SQLite and crash in production.
    """
    checks = []
    for model in apps.get_models():
        fields = [
            f for f in model._meta.concrete_fields if isinstance(f, CharField) and f.max_length
        ]
        if fields:
            too_long = reduce(or_, (GreaterThan(Length(f.attname), f.max_length) for f in fields))
            rows = model._base_manager.filter(too_long).order_by()
            checks.append(rows.values_list(Value(model._meta.label)))
    return checks[0].union(*checks[1:], all=True)


def assert_invariants() -> None:
    """Every row the forms can write is one the forms would accept."""
    too_long = sorted({label for (label,) in _too_long().all()})  # .all(): not the cached rows
    assert not too_long, f"strings longer than their column stored in {too_long}"
    bad_scores = Answer.objects.exclude(score__isnull=True).exclude(
        score__gte=SCORE_MIN, score__lte=SCORE_MAX
    )
    assert not bad_scores.exists(), f"scores out of range: {list(bad_scores.values('score'))}"
    foreign = Answer.objects.exclude(question__round_id=F("response__round_id"))
    assert not foreign.exists(), "an answer to a question of another round"

    assert not Response.objects.exclude(sector__in=Sector.values).exists(), "a bad sector"
    assert not Response.objects.exclude(round_id=F("invitation__round_id")).exists()

    for comment in Comment.objects.select_related("principle", "response"):
        assert _text_ok(comment.text, COMMENT_MAX), f"comment stored: {comment.text[:80]!r}"
        assert comment.text == comment.text.strip()
        assert comment.principle.round_id == comment.response.round_id

    for member in Member.objects.active():
        assert _text_ok(member.name, 150), f"member name stored: {member.name[:80]!r}"
        assert _text_ok(member.organisation, 150, blank=True), member.organisation[:80]
        assert len(member.email) <= 254, f"e-mail of {len(member.email)} characters stored"
        try:
            validate_email(member.email)
        except ValidationError:
            raise AssertionError(f"member e-mail stored: {member.email!r}") from None
        assert member.sector in Sector.values and member.role in Member.Role.values

    # E-mails run at once in these tests (Fuzzer.request): each ends sent or failed.
    queued = Invitation.objects.filter(send_status=Invitation.SendStatus.QUEUED)
    assert not queued.exists(), "an invitation e-mail that never finished"
    invited_elsewhere = Invitation.objects.exclude(
        member__partnership_id=F("round__partnership_id")
    )
    assert not invited_elsewhere.exists(), "an invitation to another partnership's round"

    for round in Round.objects.all():
        assert _text_ok(round.title, 150), f"round title stored: {round.title[:80]!r}"
        assert round.closes_on >= round.opens_on, (round.opens_on, round.closes_on)
        assert MIN_GROUP_SIZE_FLOOR <= round.min_group_size <= MIN_GROUP_SIZE_MAX

    for action in Action.objects.select_related("principle"):
        assert _text_ok(action.description, 1000), f"action stored: {action.description[:80]!r}"
        assert _text_ok(action.owner, 150, blank=True), f"owner stored: {action.owner[:80]!r}"
        assert action.status in Action.Status.values
        assert action.principle is None or action.principle.round_id == action.round_id

    for link in ShareLink.objects.all():
        assert _text_ok(link.label, 100, blank=True), f"label stored: {link.label[:80]!r}"
        if link.expires_at is not None:
            assert link.expires_at > link.created_at - datetime.timedelta(days=1)
            assert link.expires_at <= link.created_at + datetime.timedelta(days=368)


# The data every test runs its examples in


@dataclass
class World:
    """Two partnerships and one of everything a URL or form can point at."""

    coordinator: object
    slug: str  # the coordinator's partnership
    other_slug: str  # another coordinator's
    members: list[int]
    emails: list[str]
    other_member: int  # a member of the other partnership
    erased_member: int
    draft: int  # invites chosen members
    open: int  # has responses, so its report has figures
    closed: int
    lapsed: int  # open, but its closing date has passed
    other_round: int  # the other partnership's open round
    invitations: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # respondent links, by state
    questions: dict[int, list[int]] = field(default_factory=dict)  # open round, by principle
    foreign_questions: list[int] = field(default_factory=list)  # other rounds' question ids
    principles: list[int] = field(default_factory=list)  # open round's RoundPrinciple pks
    foreign_principles: list[int] = field(default_factory=list)
    actions: list[int] = field(default_factory=list)
    foreign_action: int = 0
    share_links: list[int] = field(default_factory=list)
    foreign_share_link: int = 0
    share_tokens: dict[str, str] = field(default_factory=dict)

    @property
    def rounds(self) -> list[int]:
        return [self.draft, self.open, self.closed, self.lapsed, self.other_round]


def _share(round: Round, **fields) -> tuple[int, str]:
    token, hashed = token_new()
    return ShareLink.objects.create(round=round, token_hash=hashed, **fields).pk, token


def _respondent_links(opened: Round, members: list[Member], *others: Round) -> tuple[dict, dict]:
    """Invitations and personal links of the open round, one per state a respondent can be in,
    and one link to each of the other rounds."""
    tokens, invitations = {}, {}
    fresh, tokens["fresh"] = make_invitation(opened, members[0])
    failed, _ = make_invitation(opened, members[1])
    Invitation.objects.filter(pk=failed.pk).update(send_status=Invitation.SendStatus.FAILED)
    started, tokens["started"] = make_invitation(opened, members[2])
    services.response_start(invitation=started, sector=Sector.HEALTH)
    invitations |= {"fresh": fresh.pk, "failed": failed.pk, "started": started.pk}
    for state, submit in [("complete", False), ("submitted", True)]:
        response = make_response(opened, scores=3, submit=submit)
        tokens[state] = services.invitation_link(invitation=response.invitation)
        invitations[state] = response.invitation_id
    for round in others:
        tokens[f"{round.status} {round.pk}"] = make_invitation(round)[1]
    return tokens, invitations


def _share_links(opened: Round, draft: Round, other_round: Round) -> tuple[list[int], dict, int]:
    """The open round's share links (active, revoked, expired), and links to other rounds."""
    pks, tokens = [], {}
    now = timezone.now()
    for state, fields in [
        ("active", {}),
        ("revoked", {"revoked_at": now}),
        ("expired", {"expires_at": now - datetime.timedelta(days=16)}),
    ]:
        pk, tokens[state] = _share(opened, label=state, **fields)
        pks.append(pk)
    # Made a month ago for a fortnight, as the share links form would have.
    ShareLink.objects.filter(label="expired").update(created_at=now - datetime.timedelta(days=30))
    foreign, tokens["other"] = _share(other_round, label="other")
    tokens["draft"] = _share(draft, label="draft")[1]
    return pks, tokens, foreign


@pytest.fixture
def world(principles) -> World:
    today = timezone.localdate()
    coordinator = make_user("fuzz-coordinator")
    partnership = make_partnership(coordinator, slug="riverside")
    other = make_partnership(make_user("fuzz-other"), slug="hillside")
    members = [make_member(partnership, sector=sector) for sector in Sector.values]
    erased = services.member_erase(member=make_member(partnership))

    draft = make_round(partnership, open=False, invite_all_members=False)
    services.invitations_create(round=draft, members=members[:2])
    opened = make_round(partnership)
    for score in [1, 2, 3, 4, 5, None]:
        make_response(opened, scores=score, comments={1: "Works well."})
    closed = services.round_close(round=make_round(partnership))
    lapsed = make_round(partnership, opens_on=today - datetime.timedelta(days=30), closes_on=today)
    Round.objects.filter(pk=lapsed.pk).update(closes_on=today - datetime.timedelta(days=1))
    other_round = make_round(other)

    tokens, invitations = _respondent_links(opened, members, draft, closed, lapsed, other_round)
    share_links, share_tokens, foreign_share_link = _share_links(opened, draft, other_round)
    questions: dict[int, list[int]] = {}
    for number, pk in opened.questions.values_list("principle__number", "pk"):
        questions.setdefault(number, []).append(pk)
    principle = opened.principles.get(number=1)
    return World(
        coordinator=coordinator,
        slug=partnership.slug,
        other_slug=other.slug,
        members=[member.pk for member in members],
        emails=[member.email for member in members],
        other_member=make_member(other).pk,
        erased_member=erased.pk,
        draft=draft.pk,
        open=opened.pk,
        closed=closed.pk,
        lapsed=lapsed.pk,
        other_round=other_round.pk,
        invitations=invitations,
        tokens=tokens,
        questions=questions,
        foreign_questions=list(other_round.questions.values_list("pk", flat=True)[:10])
        + list(closed.questions.values_list("pk", flat=True)[:5]),
        principles=list(opened.principles.values_list("pk", flat=True)),
        foreign_principles=list(other_round.principles.values_list("pk", flat=True)[:3]),
        actions=[
            Action.objects.create(round=opened, principle=principle, description="Report").pk,
            Action.objects.create(round=opened, description="Fund the forum").pk,
        ],
        foreign_action=Action.objects.create(round=other_round, description="Theirs").pk,
        share_links=share_links,
        foreign_share_link=foreign_share_link,
        share_tokens=share_tokens,
    )


@pytest.fixture(autouse=True)
def _fuzz_checks_hold_before_any_example(world):
    # The invariants must hold for the data the examples start from, or a failure would
    # blame the first example for the fixture's rows.
    assert_invariants()
