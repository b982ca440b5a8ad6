"""Properties of the disclosure gate over many random rounds (hypothesis, derandomised).

- No group shown, and no remainder, rests on fewer than k respondents.
- Between any two snapshots the set of responses that changed is empty or at least k, and the
  new submissions among them are none or at least k.
- Below k responses in its snapshot a report shows no figure at all.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import services
from assessments.models import Response, Sector
from reports.disclosure import THIRD, groups_compared, sector_cells, snapshot_due
from reports.models import PublishedResponse
from reports.report import report_build
from tests.factories import make_partnership, make_response, make_round

SECTORS = list(Sector.values)
sizes = st.dictionaries(st.sampled_from(SECTORS), st.integers(0, 12), max_size=7)


@given(sizes=sizes, k=st.integers(3, 8))
@settings(derandomize=True, max_examples=400)
def test_every_cell_and_every_union_of_cells_has_at_least_k(sizes, k):
    cells = sector_cells(sizes, k)
    covered = [sector for cell in cells for sector in cell.sectors]
    assert sorted(covered) == sorted(sector for sector, n in sizes.items() if n)  # a partition
    assert all(cell.respondents == sum(sizes[s] for s in cell.sectors) for cell in cells)
    total = sum(sizes.values())
    if total >= k:
        assert all(cell.respondents >= k for cell in cells)
    if groups_compared(cells, k):
        third = next(cell for cell in cells if cell.sectors == {THIRD})
        assert third.respondents >= k and total - third.respondents >= k


@given(new=st.integers(0, 20), amended=st.integers(0, 20), k=st.integers(3, 8))
@settings(derandomize=True, max_examples=200)
def test_a_snapshot_moves_on_k_new_submissions_or_k_amendments_alone(new, amended, k):
    due = snapshot_due(new=new, amended=amended, k=k)
    assert not due or new >= k or (new == 0 and amended >= k)
    if due:
        assert new + amended >= k


events = st.lists(
    st.one_of(
        st.tuples(
            st.just("submit"), st.sampled_from([THIRD, THIRD, Sector.HEALTH, Sector.BUSINESS])
        ),
        st.tuples(st.just("amend"), st.integers(0, 30)),
    ),
    min_size=1,
    max_size=14,
)


@pytest.mark.django_db
@given(steps=events, k=st.integers(3, 5), close=st.booleans())
@settings(
    derandomize=True,
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_between_any_two_snapshots_none_or_at_least_k_responses_changed(
    principles, steps, k, close
):
    round = make_round(make_partnership(), invite_all_members=False, min_group_size=k)
    principle = round.principles.get(number=1)
    states = [published_state(round)]
    for index, (kind, value) in enumerate(steps):
        if kind == "submit":
            make_response(round, scores=(index % 5) + 1, sector=value)
        else:
            submitted = list(Response.objects.filter(round=round, status="submitted"))
            if not submitted:
                continue
            response = submitted[value % len(submitted)]
            scores = {q.pk: (index % 5) + 1 for q in principle.questions.all()}
            services.response_save_principle(
                response=response, principle=principle, scores=scores, comment=f"Edit {index}"
            )
        states.append(published_state(round))
        assert_nothing_below_k(round, k)
    if close:
        services.round_close(round=round)
        states.append(published_state(round))
        assert_nothing_below_k(round, k)
    for before, after in zip(states, states[1:], strict=False):
        changed = {pk for pk in set(before) | set(after) if before.get(pk) != after.get(pk)}
        new = {pk for pk in after if pk not in before}
        assert len(changed) in {0} or len(changed) >= k
        assert len(new) == 0 or len(new) >= k


def published_state(round) -> dict[int, int]:
    """Which responses the snapshot holds, at which revision."""
    return dict(PublishedResponse.objects.filter(round=round).values_list("response", "revision"))


def assert_nothing_below_k(round, k: int) -> None:
    report = report_build(round)
    if report.respondents < k:
        assert report.principles == [] and report.cells == [] and report.trend == []
        return
    assert all(cell.respondents >= k for cell in report.cells)
    if report.compared:
        assert report.third.respondents >= k and report.others.respondents >= k
    for principle in report.principles:
        for statement in principle.statements:
            if statement.comparison is not None:
                everyone = statement.figures
                assert everyone.n >= 2 * k  # k scores in each group
