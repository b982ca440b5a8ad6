"""Importing members from a CSV file: all rows or none, every bad row named by its line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.csv_import import MAX_ROWS
from assessments.models import Invitation, Member, Sector
from tests.factories import make_member, make_partnership, make_round

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


def post(client, partnership, upload, round=None):
    url = reverse("assessments:member-import", args=[partnership.slug])
    data = {"file": upload, "round": round.pk if round else ""}
    return client.post(url, data)


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
    assert [line for line, _ in found] == [3, 4, 5, 6, 7, 8, 9]
    messages = dict(found)
    assert messages[3] == "Enter the member’s full name"
    assert messages[4] == "Enter an e-mail address in the correct format, like name@example.org"
    assert messages[5].startswith("“charity” is not a sector we know. Use one of: Third sector")
    assert "Local authority; Health; Police, fire or justice" in messages[5]
    assert messages[6] == "good@example.org is also on line 2: each member needs their own address"
    assert messages[7] == (
        "Kim Existing already has the e-mail address KIM@example.org in this partnership: "
        "each member needs their own address"
    )
    assert messages[8].startswith("“chair” is not a role we know. Use one of: Board member")
    assert messages[9].startswith("Enter the member’s sector, one of:")
    html = response.content.decode()
    assert "<title>Error: Import members – " in html
    assert "The file has problems in 7 rows. Nothing has been imported" in html
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
        ("Sam", "KIM@example.org", ""),  # Kim's address, in another case
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
