"""A curious coordinator (and a share-link reader) tries to learn what one named person answered.

One test per attack that worked on the service before the disclosure gate (issue 8), each through
the pages, downloads and links a person can reach: the report, its PDF and CSV, a share link, and
the response-rate page. Every one of them failed on the code before the gate.
"""

import csv
import io
import re
import subprocess
from collections import defaultdict

import pytest
from django.test import override_settings
from django.urls import reverse

from assessments import access, services
from assessments.models import Response, Sector
from principles.models import Band, ScalePoint
from reports.models import ShareLink
from tests.factories import make_member, make_response, make_round
from tests.reports.test_pdf import pdf_text

pytestmark = pytest.mark.django_db

THIRD, COUNCIL, BUSINESS = Sector.THIRD_SECTOR, Sector.LOCAL_AUTHORITY, Sector.BUSINESS
SECRET = "Only Pat would write this: the chair ignores us."


def url(name: str, round, *args) -> str:
    return reverse(name, args=[round.partnership.slug, round.pk, *args])


def shared_link(round) -> str:
    from assessments.models import token_new

    token, hashed = token_new()
    ShareLink.objects.create(round=round, token_hash=hashed)
    return token


def body(response) -> str:
    """The page without what changes on every request (CSRF tokens)."""
    text = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def csv_rows(response) -> list[dict]:
    if response.status_code != 200:
        return []
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def figures(output: str) -> tuple[str, list[str]]:
    """What a page or download says about answers: the report's results part (from its summary
    to its action plan), and every figure with decimals anywhere (means, gaps) in order. Response
    counts, which move as people respond, are not figures about answers."""
    results = re.findall(r'id="summary".*?id="actions"', output, flags=re.S)
    return "".join(results), re.findall(r"[−+-]?\d+\.\d\d", output)


def every_output(client, round, token: str, tmp_path) -> str:
    """The HTML report, the PDF's text, the CSV and the shared page, as one text."""
    parts = [body(client.get(url("reports:round-report", round)))]
    pdf = client.get(url("reports:round-report-pdf", round))
    if pdf.status_code == 200:
        parts.append(pdf_text(pdf.content, tmp_path))
    csv_response = client.get(url("reports:round-answers-csv", round))
    if csv_response.status_code == 200:
        parts.append(b"".join(csv_response.streaming_content).decode("utf-8-sig"))
    parts.append(body(client.get(reverse("reports:shared-report", args=[token]))))
    return "\n".join(parts)


# 1. A round below the minimum shows the one respondent's answers


def test_a_round_below_the_minimum_shows_no_score_and_no_comment(
    coordinator_client, open_round, tmp_path
):
    make_response(open_round, scores=2, sector=THIRD, comments={1: SECRET})
    token = shared_link(open_round)
    seen = every_output(coordinator_client, open_round, token, tmp_path)
    assert SECRET not in seen
    assert "2.00" not in seen  # the one person's mean on every statement
    csv_response = coordinator_client.get(url("reports:round-answers-csv", open_round))
    assert csv_rows(csv_response) == []


# 2. The CSV's "withheld" label singles out the one person of a small sector


def test_every_sector_label_in_the_csv_covers_at_least_the_minimum(
    coordinator_client, partnership, principles
):
    round = make_round(partnership, invite_all_members=False)
    for _ in range(6):
        make_response(round, sector=THIRD)
    for _ in range(6):
        make_response(round, sector=COUNCIL)
    make_response(round, scores=1, sector=BUSINESS)  # the only business member
    services.round_close(round=round)
    rows = csv_rows(coordinator_client.get(url("reports:round-answers-csv", round)))
    assert rows, "a closed round of 13 offers its answers"
    respondents = defaultdict(set)
    for row in rows:
        sector = next(value for key, value in row.items() if "sector" in key.lower())
        respondent = next(value for key, value in row.items() if "respon" in key.lower())
        respondents[sector].add(respondent)
    assert min(len(people) for people in respondents.values()) >= round.min_group_size


# 3. Differencing: the report changes the moment one named person submits or amends


@pytest.fixture
def round_of_six(partnership, principles):
    round = make_round(partnership, invite_all_members=False)
    for _ in range(3):
        make_response(round, sector=THIRD)
        make_response(round, sector=COUNCIL)
    return round


def test_one_more_submission_changes_nothing_anyone_can_see(
    coordinator_client, round_of_six, tmp_path
):
    token = shared_link(round_of_six)
    before = every_output(coordinator_client, round_of_six, token, tmp_path)
    make_response(round_of_six, scores=1, sector=THIRD, comments={1: SECRET})
    after = every_output(coordinator_client, round_of_six, token, tmp_path)
    assert SECRET not in after
    assert figures(after) == figures(before)  # only the count of who has responded moves


def test_an_amendment_changes_nothing_anyone_can_see(coordinator_client, round_of_six, tmp_path):
    token = shared_link(round_of_six)
    before = every_output(coordinator_client, round_of_six, token, tmp_path)
    response = Response.objects.filter(round=round_of_six).first()
    principle = round_of_six.principles.get(number=1)
    scores = {question.pk: 1 for question in principle.questions.all()}
    services.response_save_principle(
        response=response, principle=principle, scores=scores, comment=SECRET
    )
    services.response_submit(response=response)
    after = every_output(coordinator_client, round_of_six, token, tmp_path)
    assert SECRET not in after
    assert figures(after) == figures(before)


def test_nothing_dates_a_response_more_precisely_than_the_day(
    coordinator_client, round_of_six, tmp_path
):
    token = shared_link(round_of_six)
    seen = every_output(coordinator_client, round_of_six, token, tmp_path)
    main = seen.split("<main", 1)[-1]
    assert not re.search(r"\b\d{1,2}:\d\d\b|\b\d{1,2}[.:]\d\d\s*[ap]\.?m\b", main)


# 4. "Get a new link" handed the coordinator a member's key


def test_no_coordinator_page_or_action_shows_a_personal_link(coordinator_client, open_round):
    """Every link and form on the round's page is followed (forms are submitted) and every
    page reached is read: none shows a respondent's link."""
    make_member(open_round.partnership)
    services.invitations_create(round=open_round)
    base = url("assessments:round-detail", open_round)
    seen, queue = set(), [base]
    while queue:
        address = queue.pop()
        if address in seen or "/report" in address or "/share" in address:
            continue
        seen.add(address)
        page = coordinator_client.get(address)
        text = page.content.decode()
        assert "/r/" not in text, f"{address} shows a personal link"
        for form in re.findall(r"<form[^>]*>", text):
            form_action = (re.findall(r'action="([^"]*)"', form) or [""])[0] or address
            if 'method="post"' not in form or "/close/" in form_action:
                continue
            if not form_action.startswith(base):  # signing out, say
                continue
            answer = coordinator_client.post(form_action, follow=True)
            assert "/r/" not in answer.content.decode(), f"{form_action} shows a personal link"
        queue.extend(href for href in re.findall(r'href="([^"]+)"', text) if href.startswith(base))


# 5. A statement's third-sector mean can rest on one score


def test_a_comparison_needs_the_minimum_of_scores_in_each_group(
    coordinator_client, partnership, principles
):
    round = make_round(partnership, invite_all_members=False)
    q11 = round.questions.get(principle__number=1, order=1)
    make_response(round, scores={q11.pk: 1}, sector=THIRD)
    for _ in range(4):
        make_response(round, scores={q11.pk: None}, sector=THIRD)  # "Don't know"
    for _ in range(5):
        make_response(round, sector=COUNCIL)
    services.round_close(round=round)
    results, _ = figures(body(coordinator_client.get(url("reports:round-report", round))))
    assert "1.00" not in results  # the one third sector score on statement 1.1
    assert "−3.00" not in results  # its gap against everyone else's 4


# 6. Scale labels and bands were read live


def test_rewording_the_scale_and_deleting_a_band_changes_no_round(
    coordinator_client, partnership, principles
):
    round = make_round(partnership, invite_all_members=False)
    for _ in range(5):
        make_response(round, sector=THIRD)
    services.round_close(round=round)
    before = body(coordinator_client.get(url("reports:round-report", round)))
    ScalePoint.objects.filter(value=4).update(label="Tend to agree")
    Band.objects.filter(name__icontains="strength").delete()
    after = body(coordinator_client.get(url("reports:round-report", round)))
    assert after == before
    open_round = make_round(partnership, invite_all_members=False)
    ScalePoint.objects.filter(value=4).update(label="Mostly agree")
    invitation_response = make_response(open_round, submit=False)
    from assessments.models import Invitation

    invitation = Invitation.objects.get(response=invitation_response)
    from tests.factories import link_token

    page = coordinator_client.get(
        reverse("respond:principle", args=[link_token(invitation), 1])
    ).content.decode()
    assert "Tend to agree" in page and "Mostly agree" not in page


# 7. Nothing told the browser not to keep results


def test_results_and_coordinator_pages_are_never_stored_by_the_browser(
    coordinator_client, round_of_six
):
    services.round_close(round=round_of_six)
    token = shared_link(round_of_six)
    addresses = [
        reverse("assessments:partnership-list"),
        reverse("assessments:partnership-detail", args=[round_of_six.partnership.slug]),
        url("assessments:round-detail", round_of_six),
        url("reports:round-report", round_of_six),
        url("reports:round-report-pdf", round_of_six),
        url("reports:round-answers-csv", round_of_six),
        url("reports:share-links", round_of_six),
        reverse("reports:shared-report", args=[token]),
        reverse("reports:shared-report-pdf", args=[token]),
    ]
    for address in addresses:
        cache_control = coordinator_client.get(address).get("Cache-Control", "")
        assert "private" in cache_control and "no-store" in cache_control, address


# 8. A reminder broke the link someone was using; a failed send killed it too


def test_reminders_and_refused_e_mails_never_stop_a_working_link(
    coordinator_client, open_round, smtp_server, django_capture_on_commit_callbacks
):
    member = make_member(open_round.partnership, email="pat@example.org")
    services.invitations_create(round=open_round)

    def send(action: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            coordinator_client.post(url(f"assessments:round-send-{action}", open_round))

    send("invitations")
    link = re.search(r"https?://\S+/r/[\w-]+/", smtp_server.messages_to(member.email)[0])[0]
    path = "/" + link.split("/", 3)[3]
    assert coordinator_client.get(path).status_code == 200
    coordinator_client.post(path, {"sector": THIRD})  # Pat starts answering
    send("reminders")
    assert coordinator_client.get(path).status_code == 200
    reminder = smtp_server.messages_to(member.email)[-1]
    assert link in reminder  # the reminder carries the same link
    smtp_server.refuse(member.email)
    send("reminders")  # the server answers 550
    assert coordinator_client.get(path).status_code == 200
    assert len(smtp_server.messages_to(member.email)) == 2


# 9. Behind a proxy, five wrong passwords from anywhere locked the coordinator out


def test_behind_a_proxy_failures_from_one_client_do_not_lock_out_another(client, coordinator):
    proxied = proxy_settings()
    assert proxied, "BEHIND_PROXY configures how django-axes finds the client's address"
    with override_settings(**proxied):
        for _ in range(6):
            client.post(
                reverse("login"),
                {"username": coordinator.username, "password": "wrong"},
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR="203.0.113.9",
            )
        response = client.post(
            reverse("login"),
            {"username": coordinator.username, "password": "correct-horse-9"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
        assert response.status_code == 302  # the coordinator, elsewhere, signs in
        client.logout()
        guesser = client.post(
            reverse("login"),
            {"username": coordinator.username, "password": "correct-horse-9"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",  # a forged first entry changes nothing
        )
    assert guesser.status_code == 429  # the guesser's own address stays locked


def proxy_settings() -> dict:
    """The axes settings that `BEHIND_PROXY=1` gives, read from a fresh settings module."""
    script = (
        "import json, os; os.environ.update(BEHIND_PROXY='1', DEBUG='1');"
        "from lsp_framework import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ('TRUSTED_PROXIES', 'AXES_CLIENT_IP_CALLABLE')"
        " if hasattr(s, k)}))"
    )
    import json
    import sys

    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    values = json.loads(result.stdout)
    return {key: value for key, value in values.items() if value}


def test_a_members_address_cannot_be_changed_to_collect_their_link(coordinator_client, open_round):
    """Another way to the key: give a member who has started answering the coordinator's own
    address, then send them their link. The address is refused; before anyone has started, a
    new address gets a new link and the old one stops working."""
    started = make_response(open_round, submit=False).invitation
    edit = reverse("assessments:member-edit", args=[open_round.partnership.slug, started.member.pk])
    data = {"name": "Pat", "email": "curious@example.org", "sector": THIRD, "role": "board"}
    page = coordinator_client.post(edit, data)
    assert "has started answering" in page.content.decode()
    started.member.refresh_from_db()
    assert started.member.email != "curious@example.org"

    from tests.factories import make_invitation

    invitation, old = make_invitation(open_round)
    other = reverse(
        "assessments:member-edit", args=[open_round.partnership.slug, invitation.member.pk]
    )
    assert coordinator_client.post(other, data).status_code == 302
    assert access.invitation_for_link(old) is None


def test_pages_saved_again_unchanged_are_not_amendments_that_move_the_figures(
    coordinator_client, partnership, principles, tmp_path
):
    # Found by a tester: with k amendments needed, one real amendment and k - 1 responses
    # saved again as they were moved the snapshot on, showing the one person's change.
    round = make_round(partnership, invite_all_members=False)
    for sector in (THIRD, THIRD, THIRD, COUNCIL, COUNCIL):  # k = 5: all five are published
        make_response(round, sector=sector)
    token = shared_link(round)
    before = every_output(coordinator_client, round, token, tmp_path)
    principle = round.principles.get(number=1)
    victim, *others = Response.objects.filter(round=round).order_by("pk")
    changed = {question.pk: 1 for question in principle.questions.all()}
    services.response_save_principle(
        response=victim, principle=principle, scores=changed, comment=SECRET
    )
    for response in others:
        saved = dict(
            response.answers.filter(question__principle=principle).values_list(
                "question_id", "score"
            )
        )
        comment = response.comments.filter(principle=principle).values_list("text", flat=True)
        services.response_save_principle(
            response=response, principle=principle, scores=saved, comment=comment.first() or ""
        )
    after = every_output(coordinator_client, round, token, tmp_path)
    assert SECRET not in after
    assert figures(after) == figures(before)
