"""Fuzzing the respondent journey: personal links, the sector page, each principle's page,
check your answers and submit, and the confirmation page."""

from hypothesis import given
from hypothesis import strategies as st

from assessments import urls_respond
from assessments.forms.respondent import COMMENT_MAX, DONT_KNOW
from assessments.models import Sector
from tests.fuzz.conftest import (
    ANY_CHAR,
    BODIES,
    JUNK,
    LONG_TEXT,
    METHODS,
    TEXT,
    TRICKY,
    fill,
    form_data,
    fuzz_settings,
    mostly,
    pks,
    route_paths,
    segments,
)

RESPOND_ROUTES = route_paths(urls_respond, "/r/")
SCORES = st.sampled_from(["1", "2", "3", "4", "5", DONT_KNOW])
COMMENTS = st.one_of(
    TEXT,
    st.sampled_from(TRICKY),
    LONG_TEXT,
    # Either side of the limit, in characters that take one to four bytes each.
    st.integers(COMMENT_MAX - 2, COMMENT_MAX + 2).flatmap(
        lambda n: st.sampled_from(["a", "é", "€", "😀", "\r\n"]).map(lambda c: (c * n)[:n])
    ),
    st.text(ANY_CHAR, min_size=1, max_size=20).map(lambda text: f"{text}\x00{text}"),
)


def tokens(world) -> st.SearchStrategy[str]:
    """A personal link's token: a live one in each state, one changed a little, or anything."""
    live = st.sampled_from(sorted(world.tokens.values()))
    changed = st.one_of(
        live.map(str.upper),
        live.map(lambda token: token[:-1]),
        live.flatmap(lambda token: segments().map(lambda junk: token + junk)),
        segments(),
    )
    return mostly(live, changed)


@fuzz_settings(250)
@given(data=st.data())
def test_every_respondent_url_takes_any_parameter(world, anonymous_fuzzer, data):
    name, route = data.draw(st.sampled_from(RESPOND_ROUTES))
    values = {"token": data.draw(tokens(world)), "number": data.draw(pks(*range(1, 9)))}
    path = fill(route, values)
    query = data.draw(st.sampled_from(["", "?return=check", "?return=//evil.example", "?x=%00"]))
    method = data.draw(METHODS)
    body = data.draw(BODIES) if method == "POST" else None
    with anonymous_fuzzer.example() as fuzz:
        fuzz.send(method, path + query, body)


@fuzz_settings(300)
@given(data=st.data())
def test_principle_page(world, anonymous_fuzzer, data):
    state = data.draw(st.sampled_from(["started", "complete", "submitted"]))
    number = data.draw(st.sampled_from(sorted(world.questions)))
    fields = {f"q{pk}": SCORES for pk in world.questions[number]} | {"comment": COMMENTS}
    body = data.draw(form_data(fields))
    # Ids of statements on other pages and in other rounds, and names like them.
    others = [pk for n, ids in world.questions.items() if n != number for pk in ids]
    foreign = st.sampled_from(others + world.foreign_questions).map(lambda pk: f"q{pk}")
    odd_names = st.one_of(foreign, pks().map(lambda pk: f"q{pk}"), st.just(f"q-{others[0]}"))
    body |= data.draw(st.dictionaries(odd_names, st.one_of(SCORES, JUNK), max_size=4))
    if data.draw(st.integers(0, 9)) == 0:
        body = data.draw(st.binary(max_size=300))
    query = data.draw(st.sampled_from(["", "?return=check"]))
    path = f"/r/{world.tokens[state]}/principles/{number}/{query}"
    with anonymous_fuzzer.example() as fuzz:
        fuzz.post(path, body, follow=True)


@fuzz_settings(120)
@given(data=st.data())
def test_start_and_check_pages(world, anonymous_fuzzer, data):
    state = data.draw(st.sampled_from(sorted(world.tokens)))
    page = data.draw(st.sampled_from(["", "check/"]))  # done/ takes GET only: a URL test
    body = data.draw(
        st.one_of(form_data({"sector": st.sampled_from(Sector.values)}), st.binary(max_size=200))
    )
    with anonymous_fuzzer.example() as fuzz:
        fuzz.post(f"/r/{world.tokens[state]}/{page}", body)
