"""Running a round: a new closing date, a copy of the round, asking before e-mails go, when each
member was last reminded, and each round's response count on the partnership page."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Invitation, Response, Round, Sector
from tests.factories import make_invitation, make_member, make_response, make_round

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def url(name, round, *args):
    return reverse(f"assessments:{name}", args=[round.partnership.slug, round.pk, *args])


def page(client, round) -> str:
    return client.get(url("round-detail", round)).content.decode()


def long_date(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def date_boxes(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def invited(round: Round, count: int, submitted: int = 0) -> list[Invitation]:
    """`count` members invited to the round, the first `submitted` of them submitted: in bulk."""
    members = [make_member(round.partnership) for _ in range(count)]
    invitations = [make_invitation(round, member)[0] for member in members]
    Response.objects.bulk_create(
        Response(
            round=round,
            invitation=invitation,
            sector=invitation.member.sector,
            status=Response.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for invitation in invitations[:submitted]
    )
    return invitations


# Changing the closing date


def test_a_new_closing_date_is_what_respondents_and_their_reminder_show(
    coordinator_client, respondent, django_capture_on_commit_callbacks
):
    invitation, token = respondent
    round = invitation.round
    later = round.closes_on + datetime.timedelta(days=14)
    form = coordinator_client.get(url("round-closing-date", round))
    assert form.status_code == 200
    assert form.context["form"]["closes_on"].value() == round.closes_on  # prefilled

    response = coordinator_client.post(
        url("round-closing-date", round), date_boxes("closes_on", later), follow=True
    )
    assert response.redirect_chain == [(url("round-detail", round), 302)]
    assert f"now closes at the end of {long_date(later)}" in messages_of(response)[0]
    round.refresh_from_db()
    assert round.closes_on == later

    start = coordinator_client.get(reverse("respond:start", args=[token])).content.decode()
    assert f"{later:%A %-d %B %Y}" in start
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url("round-send-reminders", round))
    assert f"Please answer by {long_date(later)}" in mail.outbox[0].body


def test_a_round_past_its_closing_date_takes_answers_again_once_extended(
    coordinator_client, respondent
):
    invitation, token = respondent
    round = invitation.round
    Round.objects.filter(pk=round.pk).update(closes_on=TODAY() - datetime.timedelta(days=1))
    start = reverse("respond:start", args=[token])
    assert "closed" in coordinator_client.get(start).content.decode()
    with pytest.raises(services.RoundStateError):
        services.response_start(invitation=invitation, sector=Sector.HEALTH)

    coordinator_client.post(url("round-closing-date", round), date_boxes("closes_on", TODAY()))
    assert services.response_start(invitation=invitation, sector=Sector.HEALTH).pk


YESTERDAY = TODAY() - datetime.timedelta(days=1)


@pytest.mark.parametrize(
    "boxes, message, box",
    [
        (date_boxes("closes_on", YESTERDAY), "Closing date must be today or in the future", 0),
        ({"closes_on_0": "31", "closes_on_1": "2", "closes_on_2": "2030"}, "a real date", 0),
        ({"closes_on_0": "1", "closes_on_1": "", "closes_on_2": ""}, "include a month and", 1),
        ({"closes_on_0": "", "closes_on_1": "", "closes_on_2": ""}, "Enter the closing date", 0),
    ],
)
def test_a_closing_date_in_the_past_or_not_a_date_is_refused_and_nothing_changes(
    coordinator_client, open_round, boxes, message, box
):
    before = open_round.closes_on
    response = coordinator_client.post(url("round-closing-date", open_round), boxes)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "govuk-error-summary" in html
    assert response.context["form"].error_links()[0][0] == f"#id_closes_on_{box}"
    open_round.refresh_from_db()
    assert open_round.closes_on == before


def test_a_closing_date_before_the_opening_date_is_refused(coordinator_client, partnership):
    round = make_round(
        partnership,
        opens_on=TODAY() + datetime.timedelta(days=10),
        closes_on=TODAY() + datetime.timedelta(days=20),
    )
    response = coordinator_client.post(
        url("round-closing-date", round), date_boxes("closes_on", TODAY())
    )
    assert "after the opening date" in response.content.decode()
    round.refresh_from_db()
    assert round.closes_on == TODAY() + datetime.timedelta(days=20)


def test_a_closed_round_keeps_its_date_and_says_why(coordinator_client, open_round):
    services.round_close(round=open_round)
    later = open_round.closes_on + datetime.timedelta(days=7)
    for response in (
        coordinator_client.get(url("round-closing-date", open_round), follow=True),
        coordinator_client.post(
            url("round-closing-date", open_round), date_boxes("closes_on", later), follow=True
        ),
    ):
        assert response.redirect_chain == [(url("round-detail", open_round), 302)]
        assert messages_of(response) == [
            "This round has closed: its closing date can no longer be changed."
        ]
    open_round.refresh_from_db()
    assert open_round.closes_on != later
    assert url("round-closing-date", open_round) not in page(coordinator_client, open_round)


def test_a_round_closed_while_the_form_was_open_is_not_extended(open_round):
    services.round_close(round=open_round)  # the form's round object still says open
    with pytest.raises(services.RoundStateError, match="has closed"):
        services.round_extend(round=open_round, closes_on=TODAY())


def test_only_an_open_round_links_to_changing_its_closing_date(coordinator_client, partnership):
    draft = make_round(partnership, open=False)
    opened = make_round(partnership)
    assert url("round-closing-date", draft) not in page(coordinator_client, draft)
    assert url("round-closing-date", opened) in page(coordinator_client, opened)
    response = coordinator_client.get(url("round-closing-date", draft), follow=True)
    assert "change its dates with Change the round" in messages_of(response)[0]


# Copying a round


def test_the_copy_form_offers_the_title_and_dates_of_a_round_still_to_come(
    coordinator_client, open_round
):
    response = coordinator_client.get(url("round-copy", open_round))
    form = response.context["form"]
    assert form["title"].value() == "Autumn 2026 (copy)"
    assert form["opens_on"].value() == open_round.opens_on
    assert form["closes_on"].value() == open_round.closes_on
    assert "moved on" not in response.content.decode()


def test_a_past_rounds_copy_is_offered_at_the_same_time_of_year_to_come(
    coordinator_client, partnership
):
    opens, closes = datetime.date(2024, 2, 29), datetime.date(2024, 3, 31)
    round = make_round(partnership, opens_on=opens, closes_on=closes, open=False)
    response = coordinator_client.get(url("round-copy", round))
    form = response.context["form"]
    copy_opens, copy_closes = form["opens_on"].value(), form["closes_on"].value()
    assert copy_closes >= TODAY() > copy_closes.replace(year=copy_closes.year - 1)
    assert (copy_opens.month, copy_closes.month, copy_closes.day) == (2, 3, 31)
    assert copy_opens.day == (29 if copy_opens.year % 4 == 0 else 28)  # no 29 February
    assert "ran from 29 February 2024 to 31 March 2024" in response.content.decode()


def test_copying_makes_a_draft_inviting_those_of_the_original_who_are_still_members(
    coordinator_client, partnership, principles
):
    original = make_round(partnership, invite_all_members=False, min_group_size=7)
    staying = [make_invitation(original)[0] for _ in range(2)]
    leaving, _ = make_invitation(original)
    services.member_erase(member=leaving.member)
    make_response(original, member=staying[0].member)
    not_invited = make_member(partnership)
    form = coordinator_client.get(url("round-copy", original))
    assert "the 2 members invited to" in form.content.decode()

    opens, closes = TODAY(), TODAY() + datetime.timedelta(days=30)
    response = coordinator_client.post(
        url("round-copy", original),
        {
            "title": "Spring 2027",
            **date_boxes("opens_on", opens),
            **date_boxes("closes_on", closes),
        },
        follow=True,
    )
    copy = Round.objects.get(title="Spring 2027")
    assert response.redirect_chain == [(url("round-detail", copy), 302)]
    assert messages_of(response) == [
        f"Spring 2027 has been created as a draft, copied from {original.title}."
    ]
    assert (copy.status, copy.opens_on, copy.closes_on) == (Round.Status.DRAFT, opens, closes)
    assert (copy.min_group_size, copy.invite_all_members) == (7, False)
    invitations = copy.invitations.all()
    assert {i.member for i in invitations} == {i.member for i in staying}
    assert not_invited not in {i.member for i in invitations}
    # New links, nothing sent, no answers and no questions until the copy opens.
    assert not {i.token_hash for i in invitations} & {i.token_hash for i in staying}
    assert {i.send_status for i in invitations} == {Invitation.SendStatus.NOT_SENT}
    assert not copy.responses.exists() and not copy.questions.exists()
    assert original.invitations.count() == 3 and original.responses.count() == 1


def test_a_round_inviting_every_member_is_copied_as_one_that_does(coordinator_client, open_round):
    make_invitation(open_round)
    response = coordinator_client.post(
        url("round-copy", open_round),
        {
            "title": "Next",
            **date_boxes("opens_on", TODAY()),
            **date_boxes("closes_on", TODAY()),
        },
    )
    copy = Round.objects.get(title="Next")
    assert response.url == url("round-detail", copy)
    assert copy.invite_all_members and not copy.invitations.exists()
    assert "Every current member, put on the list when the round opens" in page(
        coordinator_client, copy
    )


def test_a_copy_with_a_missing_title_or_dates_the_wrong_way_round_is_not_made(
    coordinator_client, open_round
):
    response = coordinator_client.post(
        url("round-copy", open_round),
        {
            "title": "",
            **date_boxes("opens_on", TODAY() + datetime.timedelta(days=5)),
            **date_boxes("closes_on", TODAY()),
        },
    )
    assert response.status_code == 200
    assert [message for _, message in response.context["form"].error_links()] == [
        "Enter a title for the round",
        "Closing date must be the same as or after the opening date",
    ]
    assert Round.objects.count() == 1


def test_every_round_page_offers_a_copy(coordinator_client, partnership, open_round):
    services.round_close(round=open_round)
    for round in (open_round, make_round(partnership, open=False)):
        assert url("round-copy", round) in page(coordinator_client, round)


# Asking before invitations and reminders go


def test_reminders_ask_first_saying_how_many_and_showing_the_e_mail(
    coordinator_client, open_round, django_capture_on_commit_callbacks
):
    make_response(open_round)
    waiting, token = make_invitation(open_round)
    make_response(open_round, submit=False)
    Invitation.objects.update(send_status=Invitation.SendStatus.SENT)
    response = coordinator_client.get(url("round-send-reminders", open_round))
    html = response.content.decode()
    assert "2 members will get a reminder." in html
    email = response.context["email"]
    assert (
        email["subject"] == f"Reminder: Riverside Partnership self-assessment: {open_round.title}"
    )
    assert email["body"].startswith("Dear [their name],")
    assert f"Please answer by {long_date(open_round.closes_on)}" in email["body"]
    assert f"{open_round.questions.count()} statements on 7 short pages" in email["body"]
    assert "[their personal link]" in html
    assert token not in html and "/r/" not in html
    assert mail.outbox == []  # asking sends nothing
    assert set(Invitation.objects.values_list("send_status", flat=True)) == {"sent"}

    with django_capture_on_commit_callbacks(execute=True):
        sent = coordinator_client.post(url("round-send-reminders", open_round), follow=True)
    assert "2 reminders sent." in messages_of(sent)[0]
    assert len(mail.outbox) == 2
    assert waiting.member.email in {m.to[0] for m in mail.outbox}


def test_the_e_mail_shown_is_the_one_sent_but_for_their_name_and_link(
    coordinator_client, open_round, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://lsp.example.org"
    waiting, token = make_invitation(open_round)
    shown = coordinator_client.get(url("round-send-reminders", open_round)).context["email"]
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url("round-send-reminders", open_round))
    sent = mail.outbox[0]
    link = "https://lsp.example.org" + reverse("respond:start", args=[token])
    assert sent.subject == shown["subject"]
    assert sent.body.strip() == shown["body"].replace("[their name]", waiting.member.name).replace(
        "[their personal link]", link
    )


def test_invitations_count_the_members_a_round_inviting_everyone_adds_when_it_sends(
    coordinator_client, open_round, django_capture_on_commit_callbacks
):
    sent, _ = make_invitation(open_round)
    Invitation.objects.filter(pk=sent.pk).update(send_status=Invitation.SendStatus.SENT)
    make_invitation(open_round)  # on the list, not sent
    make_member(open_round.partnership)  # joined since the round opened: not on the list yet
    response = coordinator_client.get(url("round-send-invitations", open_round))
    assert "2 members will get an invitation." in response.content.decode()
    assert not response.context["email"]["subject"].startswith("Reminder")
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url("round-send-invitations", open_round))
    assert len(mail.outbox) == 2


def test_with_nobody_to_remind_the_page_says_so_and_offers_no_button(
    coordinator_client, open_round
):
    make_response(open_round)
    response = coordinator_client.get(url("round-send-reminders", open_round))
    html = response.content.decode()
    assert "There is nobody to remind" in html
    assert ">Send reminders</button>" not in html


def test_asking_to_send_for_a_round_not_taking_answers_is_a_message(
    coordinator_client, partnership
):
    round = make_round(partnership, open=False)
    for name in ("round-send-invitations", "round-send-reminders"):
        response = coordinator_client.get(url(name, round), follow=True)
        assert response.redirect_chain == [(url("round-detail", round), 302)]
        assert messages_of(response) == ["Invitations can only be sent while the round is open."]


def test_the_round_page_links_to_the_questions_rather_than_sending(coordinator_client, open_round):
    html = page(coordinator_client, open_round)
    assert f'href="{url("round-send-invitations", open_round)}"' in html
    assert f'href="{url("round-send-reminders", open_round)}"' in html
    assert "formaction" not in html


# The members table: e-mail status and last reminder


def test_each_member_shows_the_day_they_were_last_reminded(coordinator_client, open_round):
    reminded, _ = make_invitation(open_round, make_member(open_round.partnership, name="Ada"))
    make_invitation(open_round, make_member(open_round.partnership, name="Bo"))
    when = datetime.datetime(2026, 3, 3, 12, 0, tzinfo=datetime.UTC)
    Invitation.objects.filter(pk=reminded.pk).update(reminded_at=when, reminders_sent=2)
    html = page(coordinator_client, open_round)
    assert "Last reminded</th>" in html
    ada, bo = html.split(">Ada</th>")[1], html.split(">Bo</th>")[1]
    assert ada.index("3 March 2026") < ada.index("</tr>")
    assert bo.index("Not reminded") < bo.index("</tr>")


def test_a_member_who_has_responded_is_never_shown_as_not_sent(coordinator_client, open_round):
    make_response(open_round, member=make_member(open_round.partnership, name="Ada"))
    html = page(coordinator_client, open_round)
    row = html.split(">Ada</th>")[1].split("</tr>")[0]
    assert "Submitted</strong>" in row
    assert "Not sent" not in row and "Link used</strong>" in row


# Who is invited


def test_a_round_inviting_everyone_says_how_many_are_on_the_list_so_far(
    coordinator_client, open_round
):
    for _ in range(3):
        make_invitation(open_round)
    make_member(open_round.partnership)
    make_member(open_round.partnership)
    html = page(coordinator_client, open_round)
    assert "Every current member: 3 of 5 invited so far" in html
    assert "The other 2, added since the round opened, are put on the list" in html


def test_a_round_inviting_everyone_who_is_on_the_list_says_how_many(coordinator_client, open_round):
    make_invitation(open_round)
    assert "Every current member (1 invited)" in page(coordinator_client, open_round)


def test_a_round_of_chosen_members_says_how_many_of_the_members(coordinator_client, partnership):
    round = make_round(partnership, open=False, invite_all_members=False)
    make_invitation(round)
    make_member(partnership)
    html = page(coordinator_client, round)
    assert "Members chosen by the coordinator (1 of 2 current members invited)" in html


# The partnership page's list of rounds


def test_each_round_on_the_partnership_page_shows_its_response_count_and_rate(
    coordinator_client, partnership
):
    spring = make_round(partnership, title="Spring", invite_all_members=False)
    invited(spring, 17, submitted=14)
    autumn = make_round(partnership, title="Autumn", invite_all_members=False)
    invited(autumn, 8, submitted=1)  # 12.5%: half up, as UK statistics publish
    make_round(partnership, title="Draft", open=False)
    html = coordinator_client.get(
        reverse("assessments:partnership-detail", args=[partnership.slug])
    ).content.decode()
    assert "14 of 17 (82%)" in html
    assert "1 of 8 (13%)" in html
    assert "Not open yet" in html


@pytest.mark.parametrize("rounds", [1, 6])
def test_the_partnership_page_takes_the_same_queries_for_any_number_of_rounds(
    coordinator_client, partnership, django_assert_num_queries, rounds
):
    for _ in range(rounds):
        invited(make_round(partnership, open=False, invite_all_members=False), 2, submitted=1)
    make_member(partnership)
    # session, user, partnership, members, rounds, the response counts of every round at once,
    # the network it is in (none)
    with django_assert_num_queries(7):
        response = coordinator_client.get(
            reverse("assessments:partnership-detail", args=[partnership.slug])
        )
    assert response.content.decode().count("Not open yet") == rounds


def test_the_list_counts_a_round_as_its_own_page_does(open_round):
    """Both through the disclosure gate: every sector, erased members' invitations included."""
    from reports import disclosure

    invitations = invited(open_round, 6, submitted=3)
    make_invitation(open_round, make_member(open_round.partnership, sector=Sector.HEALTH))
    services.member_erase(member=invitations[0].member)
    rates = disclosure.response_rates(open_round)
    total = disclosure.response_totals([open_round])[open_round.pk]
    assert (total.invited, total.responded, total.percent) == (
        sum(r.invited for r in rates),
        sum(r.responded for r in rates),
        43,  # 3 of 7
    )


def test_a_closing_date_more_than_a_year_after_opening_is_refused(coordinator_client, open_round):
    before = open_round.closes_on
    for day in (open_round.opens_on + datetime.timedelta(days=367), datetime.date(9999, 12, 31)):
        response = coordinator_client.post(
            url("round-closing-date", open_round), date_boxes("closes_on", day)
        )
        assert response.status_code == 200
        assert [m for _, m in response.context["form"].error_links()] == [
            "Closing date must be within a year of the opening date"
        ]
    open_round.refresh_from_db()
    assert open_round.closes_on == before
    with pytest.raises(services.RoundStateError, match="within a year"):
        services.round_extend(round=open_round, closes_on=datetime.date(9999, 12, 31))


def test_a_copy_cannot_last_more_than_a_year_or_open_in_1999(coordinator_client, open_round):
    opens = TODAY() + datetime.timedelta(days=5)
    for boxes, message in [
        (
            {
                **date_boxes("opens_on", opens),
                **date_boxes("closes_on", opens + datetime.timedelta(days=367)),
            },
            "Closing date must be within a year of the opening date",
        ),
        (
            {
                **date_boxes("opens_on", datetime.date(1999, 1, 1)),
                **date_boxes("closes_on", TODAY()),
            },
            f"Opening date must be {TODAY() - datetime.timedelta(days=365):%-d %B %Y} or later",
        ),
    ]:
        response = coordinator_client.post(
            url("round-copy", open_round), {"title": "Spring", **boxes}
        )
        assert response.status_code == 200
        assert [m for _, m in response.context["form"].error_links()] == [message]
    assert Round.objects.count() == 1
