"""Importing members from a CSV file: all rows or none, every bad row named by its line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.csv_import import MAX_ROWS
from assessments.models import Invitation, Member, Sector
from tests.factories import make_member, make_partnership, make_response, make_round

pytestmark = pytest.mark.django_db

HEADER = "name,email,organisation,sector,role\n"


def csv_file(text: str | bytes, name: str = "members.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def ten_rows() -> str:
    sectors = ["third_sector", "Local authority", "HEALTH", "business", "Other public body"]
    roles = ["", "Board member"]
    rows = [
        f"Person {n},person{n}@example.org,Org {n},{sectors[n % 5]},{roles[n % 2]}"
        for n in range(1, 11)
    ]
    return HEADER + "\n".join(rows) + "\n"


def post(client, partnership, upload, round=None, existing="update"):
    """Upload the file and, if the preview of the changes comes back, confirm it."""
    url = reverse("assessments:member-import", args=[partnership.slug])
    data = {"file": upload, "existing": existing, "round": round.pk if round else ""}
    response = client.post(url, data)
    if is_preview(response):
        return confirm(client, partnership, response)
    return response


def is_preview(response) -> bool:
    return "assessments/member_import_check.html" in [t.name for t in response.templates]


def confirm(client, partnership, preview):
    url = reverse("assessments:member-import-confirm", args=[partnership.slug])
    return client.post(url, {"checked": preview.context["form"].initial["checked"]})


def problems(response) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in response.context["problems"]]


def test_a_good_file_of_ten_rows_imports_ten_members(coordinator_client, partnership):
    response = post(coordinator_client, partnership, csv_file(ten_rows()))
    assert response.status_code == 302
    assert response.url == reverse("assessments:partnership-detail", args=[partnership.slug])
    members = Member.objects.filter(partnership=partnership)
    assert members.count() == 10
    person = members.get(email="person2@example.org")
    assert (person.sector, person.role) == (Sector.HEALTH, Member.Role.BOARD)
    assert members.get(email="person3@example.org").sector == Sector.BUSINESS
    assert members.get(email="person5@example.org").sector == Sector.THIRD_SECTOR


def test_sector_and_role_accept_code_or_label_in_any_case(coordinator_client, partnership):
    text = HEADER + (
        "A,a@example.org,,THIRD SECTOR (VOLUNTARY AND COMMUNITY),theme_group\n"
        "B,b@example.org,,police_fire_justice,OFFICER SUPPORTING THE PARTNERSHIP\n"
        "C,c@example.org,,third sector,\n"
    )
    post(coordinator_client, partnership, csv_file(text))
    a, b, c = Member.objects.filter(partnership=partnership).order_by("name")
    assert (a.sector, a.role) == (Sector.THIRD_SECTOR, Member.Role.THEME_GROUP)
    assert (b.sector, b.role) == (Sector.POLICE_FIRE_JUSTICE, Member.Role.OFFICER)
    assert c.sector == Sector.THIRD_SECTOR


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(
    coordinator_client, partnership
):
    make_member(partnership, name="Kim Existing", email="kim@example.org")
    text = HEADER + (
        "Good Person,good@example.org,,health,\n"  # line 2
        ",noname@example.org,,health,\n"  # line 3
        "Bad Email,not-an-address,,health,\n"  # line 4
        "Bad Sector,sector@example.org,,charity,\n"  # line 5
        "Twin,good@example.org,,health,\n"  # line 6
        "Kim Again,KIM@example.org,,health,\n"  # line 7
        "Bad Role,role@example.org,,health,chair\n"  # line 8
        "No Sector,nosector@example.org,,,\n"  # line 9
    )
    response = post(coordinator_client, partnership, csv_file(text))
    assert response.status_code == 200
    found = problems(response)
    # Line 7 has Kim's address in another case: it is Kim's row (see the re-import tests).
    assert [line for line, _ in found] == [3, 4, 5, 6, 8, 9]
    messages = dict(found)
    assert messages[3] == "Enter the member’s full name"
    assert messages[4] == "Enter an e-mail address in the correct format, like name@example.org"
    assert messages[5].startswith("“charity” is not a sector we know. Use one of: Third sector")
    assert "Local authority; Health; Police, fire or justice" in messages[5]
    assert messages[6] == "good@example.org is also on line 2: each member needs their own address"
    assert messages[8].startswith("“chair” is not a role we know. Use one of: Board member")
    assert messages[9].startswith("Enter the member’s sector, one of:")
    html = response.content.decode()
    assert "<title>Error: Import members – " in html
    assert "The file has problems in 6 rows. Nothing has been imported" in html
    assert '<a href="#id_file">' in html
    assert Member.objects.filter(partnership=partnership).count() == 1


def test_a_record_spanning_lines_is_reported_at_the_line_it_starts(coordinator_client, partnership):
    text = HEADER + 'A,bad-a,"Org on\ntwo lines",health,\n\nB,bad-b,,health,\n'
    response = post(coordinator_client, partnership, csv_file(text))
    assert [line for line, _ in problems(response)] == [2, 5]


def test_a_windows_1252_file_is_read(coordinator_client, partnership):
    text = HEADER + "Zoë Brontë,zoe@example.org,Café Society,health,\n"
    post(coordinator_client, partnership, csv_file(text.encode("cp1252")))
    member = Member.objects.get(partnership=partnership)
    assert (member.name, member.organisation) == ("Zoë Brontë", "Café Society")


def test_a_utf8_file_with_excels_byte_order_mark_is_read(coordinator_client, partnership):
    text = HEADER + "Zoë Brontë,zoe@example.org,,health,\n"
    post(coordinator_client, partnership, csv_file(text.encode("utf-8-sig")))
    assert Member.objects.get(partnership=partnership).name == "Zoë Brontë"


def test_the_template_download_round_trips_through_the_import(coordinator_client, partnership):
    url = reverse("assessments:member-import-template", args=[partnership.slug])
    download = coordinator_client.get(url)
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="members-template.csv"' in download["Content-Disposition"]
    body = download.content.decode("utf-8-sig")
    assert body.splitlines()[0] == "name,email,organisation,sector,role"
    assert len(body.splitlines()) == 2

    response = post(coordinator_client, partnership, csv_file(download.content, "template.csv"))
    assert response.status_code == 302
    member = Member.objects.get(partnership=partnership)
    assert (member.email, member.sector) == ("sam.patel@example.org", Sector.THIRD_SECTOR)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "members.csv", "The selected file is empty"),
        (b"\n\n  \n", "members.csv", "The selected file is empty"),
        (HEADER.encode(), "members.csv", "The file has no members in it"),
        (b"name,organisation\nA,B\n", "members.csv", "The email and sector columns are missing"),
        (b"PK\x03\x04\x00\x00", "members.csv", "this one looks like another format"),
        (b"\x81\x8d\x8f", "members.csv", "must be a CSV saved as UTF-8"),
        (HEADER.encode(), "members.xlsx", "choose Save as and pick CSV"),
    ],
    ids=["empty", "blank", "header-only", "missing-columns", "binary", "undecodable", "xlsx"],
)
def test_a_file_that_cannot_be_used_is_refused_with_a_reason(
    coordinator_client, partnership, content, name, message
):
    response = post(coordinator_client, partnership, csv_file(content, name))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Member.objects.filter(partnership=partnership).exists()


def test_a_file_over_one_megabyte_is_refused(coordinator_client, partnership):
    padding = "x" * 1024
    rows = "".join(f"P{n},p{n}@example.org,{padding},health,\n" for n in range(1100))
    response = post(coordinator_client, partnership, csv_file(HEADER + rows))
    assert "The selected file must be smaller than 1 MB" in response.content.decode()
    assert not Member.objects.exists()


def test_more_than_two_thousand_rows_are_refused(coordinator_client, partnership):
    rows = "".join(f"P{n},p{n}@example.org,,health,\n" for n in range(MAX_ROWS + 1))
    response = post(coordinator_client, partnership, csv_file(HEADER + rows))
    assert "The file has more than 2,000 members: split it into smaller files" in (
        response.content.decode()
    )
    assert not Member.objects.exists()


def test_exactly_two_thousand_rows_are_imported(coordinator_client, partnership):
    rows = "".join(f"P{n},p{n}@example.org,,health,\n" for n in range(MAX_ROWS))
    assert post(coordinator_client, partnership, csv_file(HEADER + rows)).status_code == 302
    assert Member.objects.filter(partnership=partnership).count() == MAX_ROWS


def test_no_file_chosen_says_to_select_one(coordinator_client, partnership):
    url = reverse("assessments:member-import", args=[partnership.slug])
    html = coordinator_client.post(url, {"round": ""}).content.decode()
    assert '<a href="#id_file">Select a CSV file</a>' in html


def test_imported_members_can_go_onto_a_draft_rounds_invitation_list(
    coordinator_client, partnership
):
    round = make_round(partnership, open=False, invite_all_members=False)
    response = post(coordinator_client, partnership, csv_file(ten_rows()), round=round)
    assert response.url == reverse("assessments:round-detail", args=[partnership.slug, round.pk])
    assert Invitation.objects.filter(round=round).count() == 10


def test_the_round_list_offers_only_this_partnerships_draft_and_open_rounds(
    coordinator_client, partnership, principles
):
    draft = make_round(partnership, open=False, title="Draft one")
    opened = make_round(partnership, title="Open one")
    closed = make_round(partnership, title="Closed one")
    closed.status = "closed"
    closed.save()
    other = make_round(make_partnership(), open=False, title="Someone else's")
    url = reverse("assessments:member-import", args=[partnership.slug])
    choices = list(coordinator_client.get(url).context["form"].fields["round"].queryset)
    assert set(choices) == {draft, opened}

    response = post(coordinator_client, partnership, csv_file(ten_rows()), round=other)
    assert "Select a round that is still in draft or open" in response.content.decode()
    assert not Member.objects.filter(partnership=partnership).exists()


@pytest.mark.parametrize(
    ("name", "email", "organisation"),
    [
        ("", "sam@example.org", ""),
        ("N" * 151, "sam@example.org", ""),
        ("Sam", "not an address", ""),
        ("Sam", "a" * 250 + "@example.org", ""),
        ("Sam", "sam@example.org", "O" * 151),
    ],
)
def test_a_row_is_refused_in_the_words_of_the_add_a_member_page(
    coordinator_client, partnership, name, email, organisation
):
    make_member(partnership, name="Kim Existing", email="kim@example.org")
    row = f"{name},{email},{organisation},Health,Officer supporting the partnership\n"
    imported = post(coordinator_client, partnership, csv_file(HEADER + row))
    added = coordinator_client.post(
        reverse("assessments:member-add", args=[partnership.slug]),
        {
            "name": name,
            "email": email,
            "organisation": organisation,
            "sector": Sector.HEALTH,
            "role": Member.Role.OFFICER,
        },
    )
    page_errors = [message for _, message in added.context["form"].error_links()]
    assert page_errors
    assert [message for _, message in problems(imported)] == page_errors
    assert Member.objects.filter(partnership=partnership).count() == 1


# Re-importing: members already in the partnership (matched by e-mail, in any case) are
# updated or left as they are, after a preview of what will change; all or nothing.


def upload(client, partnership, text, existing="update", round=None):
    """Upload a file and return the preview (or the import page with its problems)."""
    url = reverse("assessments:member-import", args=[partnership.slug])
    data = {"file": csv_file(text), "existing": existing, "round": round.pk if round else ""}
    return client.post(url, data)


@pytest.fixture
def kim(partnership):
    return make_member(
        partnership,
        name="Kim Existing",
        email="kim@example.org",
        organisation="Riverside CVS",
        sector=Sector.THIRD_SECTOR,
        role=Member.Role.FORUM,
    )


def details(member) -> tuple:
    member.refresh_from_db()
    return (member.name, member.email, member.organisation, member.sector, member.role)


def test_the_preview_says_what_will_be_added_updated_and_left_and_saves_nothing(
    coordinator_client, partnership, kim
):
    same = make_member(partnership, name="Lee Same", email="lee@example.org", sector=Sector.HEALTH)
    text = HEADER + (
        "New Person,new@example.org,,business,\n"
        "Kim Renamed,KIM@Example.org,Riverside CVS,Health,\n"  # matched ignoring case
        f"Lee Same,lee@example.org,{same.organisation},health,\n"
    )
    preview = upload(coordinator_client, partnership, text)
    assert preview.status_code == 200
    assert is_preview(preview)
    html = preview.content.decode()
    assert "1 new member will be added" in html
    assert "New Person, <span" in html
    assert "1 member will be updated" in html
    assert 'Name: Kim Existing <span aria-hidden="true">→</span>' in html
    assert "Kim Renamed" in html
    assert "Sector: Third sector (voluntary and community)" in html
    assert "1 unchanged" in html
    assert ">Confirm import</button>" in html
    assert (
        f'href="{reverse("assessments:partnership-detail", args=[partnership.slug])}">Cancel'
        in html
    )
    # Nothing is saved before the coordinator confirms.
    assert Member.objects.filter(partnership=partnership).count() == 2
    assert details(kim)[0] == "Kim Existing"

    done = confirm(coordinator_client, partnership, preview)
    assert done.status_code == 302
    assert details(kim) == (
        "Kim Renamed",
        "kim@example.org",  # the address stays as stored: it is how the row was matched
        "Riverside CVS",
        Sector.HEALTH,
        Member.Role.FORUM,  # an empty role keeps theirs
    )
    assert Member.objects.get(email="new@example.org").sector == Sector.BUSINESS
    messages = [str(m) for m in done.wsgi_request._messages]
    assert messages == ["1 member imported. 1 member updated."]


def test_leave_them_as_they_are_adds_the_new_and_changes_nobody(
    coordinator_client, partnership, kim
):
    text = HEADER + "Kim Renamed,kim@example.org,,health,\nNew Person,new@example.org,,health,\n"
    before = details(kim)
    preview = upload(coordinator_client, partnership, text, existing="leave")
    html = preview.content.decode()
    assert "1 new member will be added" in html
    assert "1 will be left as they are" in html
    assert "will be updated" not in html
    confirm(coordinator_client, partnership, preview)
    assert details(kim) == before
    assert Member.objects.filter(partnership=partnership).count() == 2


def test_an_empty_organisation_or_role_keeps_the_members_own(coordinator_client, partnership, kim):
    preview = upload(
        coordinator_client, partnership, "name,email,sector\nKim,kim@example.org,third sector\n"
    )
    [match] = preview.context["plan"].updated
    assert [change.label for change in match.changes] == ["Name"]


def test_whether_to_update_existing_members_must_be_chosen(coordinator_client, partnership, kim):
    url = reverse("assessments:member-import", args=[partnership.slug])
    response = coordinator_client.post(url, {"file": csv_file(ten_rows()), "round": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<a href="#id_existing_1">Select whether to update members already in the partnership</a>'
        in html
    )
    # No option is chosen for them.
    assert "checked" not in html.split('name="existing"', 1)[1].split("</fieldset>", 1)[0]
    assert Member.objects.filter(partnership=partnership).count() == 1


def test_the_same_member_twice_in_a_file_is_a_problem(coordinator_client, partnership, kim):
    text = HEADER + "Kim,kim@example.org,,health,\nKim Again,KIM@example.org,,health,\n"
    response = upload(coordinator_client, partnership, text)
    assert problems(response) == [
        (3, "KIM@example.org is also on line 2: each member needs their own address")
    ]


def test_a_member_changed_after_the_preview_gets_a_new_preview_and_nothing_is_saved(
    coordinator_client, partnership, kim
):
    text = HEADER + "Kim Renamed,kim@example.org,,health,\nNew Person,new@example.org,,health,\n"
    preview = upload(coordinator_client, partnership, text)
    # Someone else changes Kim on the "Change" page before this coordinator confirms.
    Member.objects.filter(pk=kim.pk).update(name="Kim Edited Elsewhere")
    again = confirm(coordinator_client, partnership, preview)
    assert again.status_code == 200
    assert is_preview(again)
    html = again.content.decode()
    assert "Someone changed the partnership’s members after you checked this file" in html
    assert "Name: Kim Edited Elsewhere" in html  # as things are now
    assert details(kim)[0] == "Kim Edited Elsewhere"
    assert not Member.objects.filter(email="new@example.org").exists()
    # The new preview can be confirmed.
    assert confirm(coordinator_client, partnership, again).status_code == 302
    assert details(kim)[0] == "Kim Renamed"
    assert Member.objects.filter(email="new@example.org").exists()


def test_a_new_member_added_after_the_preview_is_not_added_twice(coordinator_client, partnership):
    preview = upload(coordinator_client, partnership, HEADER + "Ana New,ana@example.org,,health,\n")
    make_member(partnership, name="Ana Added By Hand", email="ANA@example.org")
    again = confirm(coordinator_client, partnership, preview)
    assert is_preview(again)
    assert "0 new members will be added" in again.content.decode()
    assert Member.objects.filter(email__iexact="ana@example.org").count() == 1


def test_a_change_in_the_last_moment_saves_nothing(partnership, kim):
    # Between the confirm page's check and the save: the service reads the member again.
    from assessments.csv_import import members_from_rows
    from assessments.forms.coordinator import MemberForm

    rows = [(2, {"name": "Kim Renamed", "email": "kim@example.org", "sector": "health"})]
    plan = members_from_rows(rows, partnership, form_class=MemberForm).plan(update_existing=True)
    Member.objects.filter(pk=kim.pk).update(sector=Sector.BUSINESS)
    new = Member(partnership=partnership, name="N", email="n@example.org", sector=Sector.HEALTH)
    with pytest.raises(services.MembersChanged):
        services.members_import(partnership=partnership, members=[new], updates=plan.updated)
    assert details(kim)[0] == "Kim Existing"
    assert not Member.objects.filter(email="n@example.org").exists()


@pytest.mark.parametrize("checked", ["", "not-signed", "eyJyb3dzIjpbXX0:1abc:forged"])
def test_a_confirm_without_a_good_preview_goes_back_to_the_import_page(
    coordinator_client, partnership, checked
):
    url = reverse("assessments:member-import-confirm", args=[partnership.slug])
    response = coordinator_client.post(url, {"checked": checked}, follow=True)
    assert response.redirect_chain == [
        (reverse("assessments:member-import", args=[partnership.slug]), 302)
    ]
    assert not Member.objects.filter(partnership=partnership).exists()


def test_a_preview_of_another_partnership_cannot_be_confirmed_here(
    coordinator_client, partnership, admin_client
):
    other = make_partnership()
    preview = upload(admin_client, other, HEADER + "Ann,ann@example.org,,health,\n")
    checked = preview.context["form"].initial["checked"]
    url = reverse("assessments:member-import-confirm", args=[partnership.slug])
    coordinator_client.force_login(partnership.coordinators.get())
    response = coordinator_client.post(url, {"checked": checked})
    assert response.status_code == 302
    assert not Member.objects.filter(email="ann@example.org").exists()


def test_a_preview_expires_after_a_day(coordinator_client, partnership, monkeypatch):
    from assessments.forms.coordinator import MemberImportConfirmForm

    preview = upload(coordinator_client, partnership, HEADER + "Ann,ann@example.org,,health,\n")
    monkeypatch.setattr(MemberImportConfirmForm, "MAX_AGE", -1)
    response = confirm(coordinator_client, partnership, preview)
    assert response.status_code == 302
    assert "This check of the file has expired" in str(list(response.wsgi_request._messages)[0])
    assert not Member.objects.filter(partnership=partnership).exists()


def test_a_round_on_the_preview_invites_everyone_in_the_file(
    coordinator_client, partnership, kim, principles
):
    round = make_round(partnership, invite_all_members=False)
    left = make_member(partnership, name="Lee", email="lee@example.org")
    text = HEADER + (
        "Kim Renamed,kim@example.org,,health,\n"  # updated
        f"Lee,lee@example.org,{left.organisation},third sector,\n"  # unchanged
        "New Person,new@example.org,,health,\n"  # added
    )
    preview = upload(coordinator_client, partnership, text, round=round)
    assert f"invitation list of {round.title}" in preview.content.decode()
    done = confirm(coordinator_client, partnership, preview)
    assert done.url == reverse("assessments:round-detail", args=[partnership.slug, round.pk])
    invited = set(Invitation.objects.filter(round=round).values_list("member__email", flat=True))
    assert invited == {"kim@example.org", "lee@example.org", "new@example.org"}


def test_a_round_closed_after_the_preview_is_refused(coordinator_client, partnership, principles):
    round = make_round(partnership)
    preview = upload(
        coordinator_client, partnership, HEADER + "Ann,ann@example.org,,health,\n", round=round
    )
    services.round_close(round=round)
    response = confirm(coordinator_client, partnership, preview)
    assert response.url == reverse("assessments:member-import", args=[partnership.slug])
    assert not Member.objects.filter(email="ann@example.org").exists()


def test_a_member_answering_an_open_round_can_have_their_sector_changed(
    coordinator_client, partnership, kim, principles
):
    # The recorded sector only counts towards response rates; the report uses the sector the
    # respondent chose, which stays as it was.
    round = make_round(partnership)
    response = make_response(round, member=kim, sector=Sector.THIRD_SECTOR, submit=False)
    text = HEADER + "Kim Existing,kim@example.org,,business,\n"
    confirm(coordinator_client, partnership, upload(coordinator_client, partnership, text))
    assert details(kim)[3] == Sector.BUSINESS
    response.refresh_from_db()
    assert response.sector == Sector.THIRD_SECTOR


def test_a_semicolon_separated_file_as_european_excel_saves_it_is_read(
    coordinator_client, partnership
):
    text = (
        "Name;E-mail;Organisation;Sector;Role\r\n"
        "Zoë Brontë;zoe@example.org;Smith, Jones & Co;health;\r\n"
        'Ann Lee;ann@example.org;"Café; Bar";business;Board member\r\n'
    )
    response = post(coordinator_client, partnership, csv_file(text.encode("utf-8-sig")))
    assert response.status_code == 302
    members = Member.objects.filter(partnership=partnership)
    assert members.get(email="zoe@example.org").organisation == "Smith, Jones & Co"
    ann = members.get(email="ann@example.org")
    assert (ann.name, ann.organisation, ann.sector) == ("Ann Lee", "Café; Bar", Sector.BUSINESS)
