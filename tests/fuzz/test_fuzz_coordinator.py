"""Fuzzing the coordinator journey: sign-in, every coordinator URL and every coordinator form.

The properties (no server error, nothing stored a form would refuse) are checked by `Fuzzer`
and `assert_invariants` in conftest.py; these tests only say what to send.
"""

import csv
import io

from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from assessments import urls as coordinator_urls
from assessments.csv_import import COLUMNS
from assessments.models import Member, Round, Sector
from tests.fuzz.conftest import (
    ANY_CHAR,
    BODIES,
    JUNK,
    LONG_TEXT,
    METHODS,
    TEXT,
    TRICKY,
    date_parts,
    fill,
    form_data,
    fuzz_settings,
    fuzzer,
    mostly,
    pks,
    route_paths,
    segments,
    with_case_changed,
)

NAMES = st.one_of(
    TEXT, st.sampled_from(TRICKY), LONG_TEXT, st.text(ANY_CHAR, min_size=145, max_size=155)
)
WORDS = st.text(st.characters(categories=["L", "Zs", "Pd"]), min_size=1, max_size=40)
# Django's validate_email takes up to 320 characters; the model's column holds 254.
LONG_EMAILS = st.integers(240, 330).map(lambda n: "a" * (n - 12) + "@example.org")


def emails(world) -> st.SearchStrategy[str]:
    # Existing addresses in other cases probe the duplicate check.
    return st.one_of(st.emails(), with_case_changed(world.emails), LONG_EMAILS, JUNK)


# Sign-in, sign-out, password reset and change (django.contrib.auth's views, our templates)


@fuzz_settings(120)
@given(data=st.data())
def test_sign_in_pages_never_fail(world, data):
    username = st.one_of(st.just(world.coordinator.username), with_case_changed(["x"]), JUNK)
    password = st.one_of(st.just("correct-horse-9"), JUNK)
    page = data.draw(
        st.sampled_from(
            [
                "login",
                "login",
                "next",
                "lockout",
                "logout",
                "reset",
                "reset-confirm",
                "change",
            ]
        )
    )
    # A new client each time: signing in or out would change the next example's session.
    fuzz = fuzzer(Client())
    with fuzz.example():
        if page == "login":
            body = data.draw(form_data({"username": username, "password": password}))
            fuzz.post(f"/accounts/login/?next={data.draw(segments('/partnerships/'))}", body)
        elif page == "lockout":  # one more failure than django-axes allows
            body = {"username": data.draw(username), "password": data.draw(JUNK)}
            for _ in range(settings.AXES_FAILURE_LIMIT + 1):
                fuzz.post("/accounts/login/", body)
        elif page == "next":
            fuzz.request("GET", "/accounts/login/", {"next": data.draw(JUNK)})
        elif page == "logout":
            fuzz.request(data.draw(METHODS), "/accounts/logout/")
        elif page == "reset":
            body = data.draw(form_data({"email": emails(world)}))
            fuzz.post("/accounts/password_reset/", body)
        elif page == "reset-confirm":
            uid, token = data.draw(segments("MQ", "set-password")), data.draw(segments())
            fuzz.request("GET", f"/accounts/reset/{uid}/{token}/")
        else:
            fuzz.client.force_login(world.coordinator)
            new = st.one_of(st.just("An0ther-long-passphrase"), JUNK)
            fields = {"old_password": password, "new_password1": new, "new_password2": new}
            fuzz.post("/accounts/password_change/", data.draw(form_data(fields)))


# Every coordinator URL, with every parameter varied, by every method


COORDINATOR_ROUTES = route_paths(coordinator_urls, "/partnerships/")


@fuzz_settings(300)
@given(data=st.data())
def test_every_coordinator_url_takes_any_parameter(world, coordinator_fuzzer, data):
    name, route = data.draw(st.sampled_from(COORDINATOR_ROUTES))
    if name.startswith("member"):
        pk = pks(*world.members, world.other_member, world.erased_member)
    else:
        pk = pks(*world.rounds)
    values = {
        "slug": data.draw(segments(world.slug, world.other_slug)),
        "pk": data.draw(pk),
        "invitation_pk": data.draw(pks(*world.invitations.values())),
        "user_pk": data.draw(pks(world.coordinator.pk)),  # the team's only one: never removed
    }
    method = data.draw(METHODS)
    body = data.draw(BODIES) if method == "POST" else None
    with coordinator_fuzzer.example() as fuzz:
        fuzz.send(method, fill(route, values), body)


ROUND_ACTIONS = [
    name
    for name, route in COORDINATOR_ROUTES
    if "<int:pk>" in route and name.startswith(("round-", "invitation-"))
]


@fuzz_settings(120)
@given(data=st.data())
def test_round_actions_in_any_order(world, coordinator_fuzzer, data):
    """Open, close, invite, send, remind, get a link, send again: a few in a row, on any round
    and invitation, by GET or POST, so that each meets the states the others leave behind."""
    routes = dict(COORDINATOR_ROUTES)
    steps = data.draw(st.lists(st.sampled_from(ROUND_ACTIONS), min_size=1, max_size=4))
    with coordinator_fuzzer.example() as fuzz:
        for name in steps:
            values = {
                "slug": world.slug,
                "pk": data.draw(mostly(st.sampled_from(world.rounds), pks())),
                "invitation_pk": data.draw(pks(*world.invitations.values())),
            }
            method = data.draw(st.sampled_from(["GET", "POST", "POST"]))
            body = data.draw(mostly(st.just({}), BODIES))
            fuzz.send(method, fill(routes[name], values), body)
        fuzz.request("GET", f"/partnerships/{world.slug}/rounds/{world.open}/")


# Members


@fuzz_settings(200)
@given(data=st.data())
def test_member_form(world, coordinator_fuzzer, data):
    paths = [f"/partnerships/{world.slug}/members/add/"] + [
        f"/partnerships/{world.slug}/members/{pk}/edit/" for pk in world.members[:2]
    ]
    fields = {
        "name": mostly(WORDS, NAMES),
        "email": mostly(st.emails(), emails(world)),
        "organisation": mostly(WORDS, NAMES),
        "sector": st.sampled_from(Sector.values),
        "role": st.sampled_from(Member.Role.values),
    }
    path, body = data.draw(st.sampled_from(paths)), data.draw(form_data(fields))
    with coordinator_fuzzer.example() as fuzz:
        fuzz.post(path, body, follow=True)


# CSV import: random bytes, random CSV text, huge fields, odd encodings, formula-like cells

ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-32", "ascii"]
CELLS = st.one_of(
    st.sampled_from([*Sector.values, *Sector.labels, *Member.Role.labels, "THIRD SECTOR"]),
    st.emails(),
    LONG_EMAILS,
    JUNK,
    st.sampled_from(["=cmd|' /C calc'!A0", "+1", "-1", "@A1", "\t=1", '"', '""', "a,b", "\r"]),
    st.integers(140, 160).map(lambda n: "x" * n),
    st.just("y" * 140_000),  # longer than the csv module's field limit
)
# (column name as written in the file, which field's values go under it)
GOOD_HEADERS = st.one_of(
    st.just([(name, name) for name in COLUMNS]),
    st.permutations(
        [("Name", "name"), ("E-mail address", "email"), (" ORGANISATION ", "organisation")]
        + [("Sector", "sector"), ("role", "role")]
    ),
)
ODD_HEADERS = st.one_of(
    st.lists(st.sampled_from([(name, name) for name in COLUMNS] + [("extra", "")]), max_size=7),
    st.lists(JUNK.map(lambda name: (name, "")), max_size=5),
)


# What each column holds in a file that is right, so that whole files import too.
USUAL_CELLS = {
    "name": WORDS,
    "email": mostly(st.emails(), LONG_EMAILS),  # the longest an address may be, and more
    "organisation": st.one_of(st.just(""), WORDS),
    "sector": st.sampled_from([*Sector.values, *Sector.labels, "third sector", "HEALTH"]),
    "role": st.sampled_from(["", *Member.Role.values, *Member.Role.labels, "BOARD MEMBER"]),
    "": CELLS,
}


@st.composite
def csv_bytes(draw, emails: st.SearchStrategy[str]) -> bytes:
    kind = draw(st.sampled_from(["csv", "csv", "csv", "bytes", "text"]))
    if kind == "bytes":
        return draw(st.binary(max_size=2000))
    if kind == "text":
        text = draw(st.text(ANY_CHAR, max_size=500))
    else:
        header = draw(mostly(GOOD_HEADERS, ODD_HEADERS))
        rows = [[name for name, _ in header]]
        clean = draw(st.booleans())  # else some rows have a cell gone wrong
        odd = st.one_of(CELLS, NAMES, emails)
        for _ in range(draw(mostly(st.integers(1, 8), st.integers(0, 30)))):
            cells = [draw(USUAL_CELLS[field]) for _, field in header]
            if cells and not clean and draw(st.booleans()):
                cells[draw(st.integers(0, len(cells) - 1))] = draw(odd)
            if not clean and draw(st.integers(0, 9)) == 0:
                cells += draw(st.lists(CELLS, min_size=1, max_size=2))  # more cells than columns
            rows.append(cells)
        out = io.StringIO()
        if clean or draw(st.booleans()):
            csv.writer(out).writerows(rows)
        else:  # joined by hand: quotes and commas left as they are
            out.write("\n".join(",".join(row) for row in rows))
        text = out.getvalue()
    encoding = draw(mostly(st.sampled_from(ENCODINGS[:3]), st.sampled_from(ENCODINGS)))
    return text.encode(encoding, errors=draw(st.sampled_from(["replace", "ignore"])))


@fuzz_settings(200)
@given(data=st.data())
def test_member_import(world, coordinator_fuzzer, data):
    filename = data.draw(
        st.one_of(
            st.sampled_from(["members.csv", "MEMBERS.CSV", "members.xlsx", ".csv", "a b.csv"]),
            TEXT,
            TEXT.map(lambda name: f"{name.strip(chr(0))}.csv"),
        )
    )
    upload = SimpleUploadedFile(
        filename.replace("/", "_").replace("\\", "_") or "x.csv",
        data.draw(csv_bytes(emails(world))),
        "text/csv",
    )
    round = data.draw(st.one_of(st.just(""), st.sampled_from(world.rounds), pks(), JUNK))
    body = {"file": upload, "round": round}
    if data.draw(st.booleans()):
        body = data.draw(form_data({"round": st.just(round)})) | {"file": upload}
    with coordinator_fuzzer.example() as fuzz:
        fuzz.post(f"/partnerships/{world.slug}/members/import/", body, follow=True)


# Rounds


@fuzz_settings(250)
@given(data=st.data())
def test_round_form(world, coordinator_fuzzer, data):
    today = timezone.localdate()
    paths = [
        f"/partnerships/{world.slug}/rounds/add/",
        f"/partnerships/{world.slug}/rounds/{world.draft}/edit/",
        f"/partnerships/{world.slug}/rounds/{world.open}/edit/",  # opened: refused
    ]
    fields = {
        "title": NAMES,
        "min_group_size": st.one_of(
            st.integers(-10, 60).map(str), st.sampled_from(["5.0", " 5 ", "05", "٥"]), JUNK
        ),
        "invite_all_members": st.sampled_from(["on", "", "off", "false"]),
    }
    body = data.draw(form_data(fields))
    for prefix in ("opens_on", "closes_on"):
        if data.draw(st.integers(0, 9)):  # now and then a date's boxes are all left out
            body |= data.draw(date_parts(prefix, today))
    with coordinator_fuzzer.example() as fuzz:
        fuzz.post(data.draw(st.sampled_from(paths)), body, follow=True)


@fuzz_settings(120)
@given(data=st.data())
def test_round_invitees_form(world, coordinator_fuzzer, data):
    member = st.one_of(
        st.sampled_from([*world.members, world.other_member, world.erased_member]).map(str),
        pks().map(str),
        JUNK,
    )
    body = data.draw(form_data({"members": st.lists(member, max_size=6)}))
    rounds = [world.draft, world.open, world.closed, world.other_round]
    path = f"/partnerships/{world.slug}/rounds/{data.draw(st.sampled_from(rounds))}/invitees/"
    with coordinator_fuzzer.example() as fuzz:
        fuzz.post(path, body, follow=True)


# Whatever the forms accept can be sent: a new member and a new round, opened and e-mailed


@fuzz_settings(80)
@given(data=st.data())
def test_what_the_forms_accept_can_be_emailed(world, coordinator_fuzzer, data):
    today = timezone.localdate()
    base = f"/partnerships/{world.slug}"
    member = data.draw(
        st.fixed_dictionaries(
            {
                "name": NAMES,
                "email": st.one_of(st.emails(), LONG_EMAILS),
                "organisation": NAMES,
                "sector": st.sampled_from(Sector.values),
                "role": st.sampled_from(Member.Role.values),
            }
        )
    )
    round = {"title": data.draw(NAMES), "min_group_size": "5", "invite_all_members": "on"}
    round |= {"opens_on_0": str(today.day), "opens_on_1": str(today.month)}
    round |= {"opens_on_2": str(today.year), "closes_on_0": "1", "closes_on_1": "1"}
    round["closes_on_2"] = str(today.year + 1)
    mail.outbox = []
    with coordinator_fuzzer.example() as fuzz:
        added = fuzz.post(f"{base}/members/add/", member).status_code == 302
        created = fuzz.post(f"{base}/rounds/add/", round)
        if created.status_code != 302:
            return
        pk = Round.objects.latest("pk").pk
        fuzz.post(f"{base}/rounds/{pk}/open/", {})
        fuzz.post(f"{base}/rounds/{pk}/send-invitations/", {})
        sent_to = {address for message in mail.outbox for address in message.to}
        if added:
            assert member["email"].strip() in sent_to
        for message in mail.outbox:
            assert "\n" not in message.subject and "\r" not in message.subject
