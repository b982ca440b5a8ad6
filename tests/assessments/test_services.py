import pytest

from assessments import access, services
from assessments.models import Answer, Comment, Invitation, Question, Response, token_hash
from principles.models import Principle, Statement
from tests.factories import make_member, make_response, make_round

pytestmark = pytest.mark.django_db


def test_opening_a_round_freezes_the_wording_of_every_active_statement(partnership, principles):
    Statement.objects.filter(principle__slug="leadership", order=4).update(is_active=False)
    round = make_round(partnership)
    assert [p.title for p in round.principles.all()] == [p.title for p in principles]
    assert round.questions.count() == Statement.objects.filter(is_active=True).count()
    assert not round.questions.filter(text__startswith="Representatives are given the training")


def test_rewording_after_opening_changes_neither_what_the_round_asks_nor_what_it_stored(
    partnership, principles
):
    round = make_round(partnership)
    response = make_response(round, scores=5)
    statement = Statement.objects.get(principle__slug="openness", order=1)
    original = statement.text
    statement.text = "Board papers arrive a fortnight ahead."
    statement.save()
    Principle.objects.filter(slug="openness").update(title="Transparency")

    question = round.questions.get(source=statement)
    assert question.text == original
    assert round.principles.get(number=4).title == "Openness"
    assert Answer.objects.get(response=response, question=question).score == 5


def test_a_round_opened_after_rewording_asks_the_new_words(partnership, principles):
    Statement.objects.filter(principle__slug="openness", order=1).update(text="New words.")
    round = make_round(partnership)
    assert round.questions.filter(text="New words.").exists()


def test_deleting_a_statement_keeps_the_answers_to_it(partnership, principles):
    round = make_round(partnership)
    make_response(round)
    statement = Statement.objects.get(principle__slug="openness", order=1)
    answers = Answer.objects.filter(question__source=statement).count()
    statement.delete()
    assert Answer.objects.filter(question__text=statement.text).count() == answers == 1


def test_opening_twice_is_refused(partnership, principles):
    round = make_round(partnership)
    with pytest.raises(services.RoundStateError):
        services.round_open(round=round)
    assert Question.objects.filter(round=round).count() == Statement.objects.count()


def test_opening_invites_every_current_member_once(partnership, principles):
    members = [make_member(partnership) for _ in range(3)]
    round = make_round(partnership)
    assert set(round.invitations.values_list("member", flat=True)) == {m.pk for m in members}
    assert services.invitations_create(round=round) == 0


def test_saving_a_page_twice_overwrites_rather_than_doubles(open_round, respondent):
    invitation, _ = respondent
    response = services.response_start(invitation=invitation, sector="health")
    principle = open_round.principles.first()
    ids = list(principle.questions.values_list("pk", flat=True))
    services.response_save_principle(
        response=response, principle=principle, scores=dict.fromkeys(ids, 2), comment="First"
    )
    services.response_save_principle(
        response=response,
        principle=principle,
        scores=dict.fromkeys(ids, None),
        comment="Second",
    )
    assert list(response.answers.values_list("score", flat=True)) == [None] * len(ids)
    assert list(Comment.objects.values_list("text", flat=True)) == ["Second"]


def test_starting_twice_gives_one_response(open_round, respondent):
    invitation, _ = respondent
    first = services.response_start(invitation=invitation, sector="health")
    second = services.response_start(invitation=invitation, sector="business")
    assert first.pk == second.pk
    assert Response.objects.get().sector == "business"


def test_questions_from_another_page_are_refused(open_round, respondent):
    invitation, _ = respondent
    response = services.response_start(invitation=invitation, sector="health")
    first, second = open_round.principles.all()[:2]
    other = second.questions.first()
    with pytest.raises(ValueError):
        services.response_save_principle(
            response=response, principle=first, scores={other.pk: 3}, comment=""
        )
    assert not Answer.objects.exists()


def test_submitting_with_unanswered_principles_is_refused(open_round, respondent):
    invitation, _ = respondent
    response = services.response_start(invitation=invitation, sector="health")
    principle = open_round.principles.first()
    services.response_save_principle(
        response=response,
        principle=principle,
        scores=dict.fromkeys(principle.questions.values_list("pk", flat=True), 3),
        comment="",
    )
    with pytest.raises(services.IncompleteResponse) as raised:
        services.response_submit(response=response)
    assert [p.number for p in raised.value.principles] == [2, 3, 4, 5, 6, 7]
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT


def test_a_complete_response_submits(open_round):
    response = make_response(open_round, scores=None)
    assert response.is_submitted and response.submitted_at


def test_a_new_link_stops_the_old_one_working(respondent):
    invitation, token = respondent
    new_token = services.invitation_new_link(invitation=invitation)
    assert access.invitation_for_link(token) is None
    assert access.invitation_for_link(new_token) == invitation
    assert token not in Invitation.objects.values_list("token_hash", flat=True)
    assert len(new_token) >= 43  # 256 bits, URL-safe base64


def test_the_link_is_the_same_every_time_and_is_never_stored(respondent):
    invitation, token = respondent
    assert services.invitation_link(invitation=invitation) == token
    invitation.refresh_from_db()
    stored = [str(value) for value in Invitation.objects.values_list().get(pk=invitation.pk)]
    assert token not in stored and token_hash(token) in stored


def test_a_round_that_does_not_invite_everyone_invites_only_the_chosen(partnership, principles):
    everyone = [make_member(partnership) for _ in range(3)]
    round = make_round(partnership, open=False, invite_all_members=False)
    services.invitations_create(round=round, members=everyone[:1])
    services.round_open(round=round)
    assert list(round.invitations.values_list("member", flat=True)) == [everyone[0].pk]


def test_a_round_closed_while_a_page_was_open_refuses_the_write(open_round, respondent):
    invitation, _ = respondent
    response = services.response_start(invitation=invitation, sector="health")
    principle = open_round.principles.first()
    services.round_close(round=open_round)
    with pytest.raises(services.RoundStateError):
        services.response_save_principle(
            response=response,
            principle=principle,
            scores=dict.fromkeys(principle.questions.values_list("pk", flat=True), 3),
            comment="",
        )
    assert not Answer.objects.exists()
    with pytest.raises(services.RoundStateError):
        services.response_submit(response=response)
