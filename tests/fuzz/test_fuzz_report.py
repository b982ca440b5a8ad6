"""Fuzzing the report pages: every report URL and parameter, the action plan and share links.

A PDF takes about a second to render, so the PDF URLs are fuzzed with parameters that find no
round (404) only; tests/assessments/test_pdf.py renders real ones.
"""

from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from assessments import urls_report
from assessments.models import Action
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
    }
    method = data.draw(METHODS)
    fuzz = anonymous_fuzzer if name.startswith("shared") else coordinator_fuzzer
    with fuzz.example():
        body = data.draw(BODIES) if method == "POST" else None
        if isinstance(body, bytes):
            fuzz.post(fill(route, values), body)
        else:
            fuzz.request(method, fill(route, values), body)


@fuzz_settings(250)
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
        fuzz.post(path, body)


@fuzz_settings(150)
@given(data=st.data())
def test_share_link_form(world, coordinator_fuzzer, data):
    base = f"/partnerships/{world.slug}/rounds/{world.open}/share"
    body = data.draw(form_data({"label": TEXTS}))
    if data.draw(st.integers(0, 3)):
        body |= data.draw(date_parts("expires_on", timezone.localdate()))
    with coordinator_fuzzer.example() as fuzz:
        if data.draw(st.integers(0, 4)):
            fuzz.post(f"{base}/", body)
        else:
            link = data.draw(pks(*world.share_links, world.foreign_share_link))
            fuzz.post(f"{base}/{link}/revoke/", data.draw(st.one_of(st.just(body), BODIES)))
