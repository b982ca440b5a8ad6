"""Fuzzing the report pages: every report URL and parameter, the action plan and share links.

A PDF takes about a second to render, so the PDF URLs are fuzzed with parameters that find no
round (404) only; tests/assessments/test_pdf.py renders real ones.
"""

from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from assessments import services
from assessments.models import Round
from reports import urls as urls_report
from reports.models import Action
from tests.factories import publish
from tests.fuzz.conftest import (
    ANY_CHAR,
    BODIES,
    LONG_TEXT,
    METHODS,
    TEXT,
    TRICKY,
    date_parts,
    fill,
    form_data,
    fuzz_settings,
    pks,
    route_paths,
    segments,
)

REPORT_ROUTES = route_paths(urls_report, "/")
PDF_ROUTES = {"round-report-pdf", "shared-report-pdf"}
TEXTS = st.one_of(
    TEXT, st.sampled_from(TRICKY), LONG_TEXT, st.text(ANY_CHAR, min_size=95, max_size=105)
)


@fuzz_settings(250)
@given(data=st.data())
def test_every_report_url_takes_any_parameter(world, coordinator_fuzzer, anonymous_fuzzer, data):
    name, route = data.draw(st.sampled_from(REPORT_ROUTES))
    pdf = name in PDF_ROUTES
    tokens = [] if pdf else sorted(world.share_tokens.values())
    values = {
        "slug": data.draw(segments(world.other_slug) if pdf else segments(world.slug)),
        "pk": data.draw(pks(*world.rounds)),
        "action_pk": data.draw(pks(*world.actions, world.foreign_action)),
        "link_pk": data.draw(pks(*world.share_links, world.foreign_share_link)),
        "token": data.draw(segments(*tokens)),
        "number": data.draw(st.one_of(st.integers(1, 7), st.integers(0, 2**70))),
    }
    method = data.draw(METHODS)
    fuzz = anonymous_fuzzer if name.startswith("shared") else coordinator_fuzzer
    body = data.draw(BODIES) if method == "POST" else None
    with fuzz.example():
        fuzz.send(method, fill(route, values), body)


@fuzz_settings(200)
@given(data=st.data())
def test_action_form(world, coordinator_fuzzer, data):
    base = f"/partnerships/{world.slug}/rounds/{world.open}/actions"
    paths = [f"{base}/add/", f"{base}/{world.actions[0]}/edit/", f"{base}/{world.actions[1]}/edit/"]
    principle = st.one_of(
        st.sampled_from(world.principles + world.foreign_principles).map(str), pks().map(str)
    )
    fields = {
        "principle": principle,
        "description": TEXTS,
        "owner": TEXTS,
        "status": st.sampled_from(Action.Status.values),
    }
    body = data.draw(form_data(fields))
    if data.draw(st.booleans()):
        body |= data.draw(date_parts("due_on", timezone.localdate()))
    path = data.draw(st.sampled_from([*paths, f"{base}/{world.actions[0]}/delete/"]))
    with coordinator_fuzzer.example() as fuzz:
        fuzz.post(path, body, follow=True)


@fuzz_settings(120)
@given(data=st.data())
def test_share_link_form(world, coordinator_fuzzer, data):
    base = f"/partnerships/{world.slug}/rounds/{world.open}/share"
    body = data.draw(form_data({"label": TEXTS}))
    if data.draw(st.integers(0, 3)):
        body |= data.draw(date_parts("expires_on", timezone.localdate()))
    with coordinator_fuzzer.example() as fuzz:
        if data.draw(st.integers(0, 4)):
            fuzz.post(f"{base}/", body, follow=True)
        else:
            link = data.draw(pks(*world.share_links, world.foreign_share_link))
            fuzz.post(f"{base}/{link}/revoke/", data.draw(st.one_of(st.just(body), BODIES)))


# Text the forms accept, in every format the report comes in

HOSTILE_TEXT = "".join(
    [
        "".join(chr(c) for c in range(1, 32)),  # every C0 control but NUL, which forms refuse
        "".join(chr(c) for c in range(0x7F, 0xA0)),  # DEL and the C1 controls
        "\ufffe\uffff\ufeff\u200b\u2028\u2029",  # noncharacters, BOM, zero width, separators
        "\u202eevil\u202c \u2066isolate\u2069",  # bidi overrides
        "Z\u0336\u0337\u0338\u0310\u0311a\u0300\u0301\u0302\u0303",  # stacked combining marks
        "😀👩🏽‍🦱𝔘𝔫𝔦𝔠𝔬𝔡𝔢 中文 العربية",
        "=1+1 +1 -1 @A1 <script>alert(1)</script> {{ x }} {% now 'Y' %} &amp; %s %(x)s",
    ]
)
ONE_LONG_WORD = "W" * 900  # nowhere for a line to break


def test_hostile_text_the_forms_accept_renders_in_every_report_format(
    world, coordinator_fuzzer, anonymous_fuzzer
):
    """A comment and an action made of hostile text, stored through the forms, then the report
    as a page, a PDF and a CSV, for the coordinator and through a share link."""
    base = f"/partnerships/{world.slug}/rounds/{world.open}"
    token = world.tokens["submitted"]
    page = {f"q{pk}": "2" for pk in world.questions[1]}
    comment = (HOSTILE_TEXT + " " + ONE_LONG_WORD)[:2000]
    saved = anonymous_fuzzer.post(f"/r/{token}/principles/1/", page | {"comment": comment})
    assert saved.status_code == 302
    action = {"description": HOSTILE_TEXT[:1000], "owner": ONE_LONG_WORD[:150]}
    action |= {"status": Action.Status.PLANNED, "principle": str(world.principles[0])}
    assert coordinator_fuzzer.post(f"{base}/actions/add/", action).status_code == 302
    round = Round.objects.get(pk=world.open)
    publish(round)  # the amended comment into the figures, whatever the snapshot rule says
    services.round_close(round=round)  # so that the answers spreadsheet is offered too
    for path in ["report/", "report.pdf", "answers.csv"]:
        assert coordinator_fuzzer.request("GET", f"{base}/{path}").status_code == 200
    shared = world.share_tokens["active"]
    for path in ["", "report.pdf", "answers.csv"]:
        assert anonymous_fuzzer.request("GET", f"/shared/{shared}/{path}").status_code == 200
