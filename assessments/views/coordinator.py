"""Coordinator pages: partnerships, members, rounds, invitations and the response-rate page.

Everything is reached through a partnership the signed-in person coordinates: a stranger gets
404, never a hint that the thing exists. A reader of the partnership's reports sees the list and
the partnership's page in a read-only form, and gets 403 from everything else (access.py).
"""

import csv
import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import audit, services
from ..access import (
    get_invitation_for_coordinator,
    get_member_for_coordinator,
    get_partnership_for_coordinator,
    get_partnership_for_reader,
    get_partnerships_for_reader,
    get_round_for_coordinator,
)
from ..audit import Kind
from ..csv_import import COLUMNS, ImportPlan, MemberImport, template_csv
from ..forms.coordinator import (
    MemberForm,
    MemberImportConfirmForm,
    MemberImportForm,
    PartnershipContactForm,
    RoundClosingDateForm,
    RoundCopyForm,
    RoundForm,
    RoundInviteesForm,
    RoundMembersFilterForm,
)
from ..models import Invitation, Member, Partnership, Response, Round, Sector
from ..tasks import invitation_email_context

# Partnerships


@login_required
@require_safe
def partnership_list(request: HttpRequest) -> HttpResponse:
    """The partnerships the person is on the team of: those whose reports they only read are
    marked so."""
    partnerships = get_partnerships_for_reader(request)
    return render(request, "assessments/partnership_list.html", {"partnerships": partnerships})


@login_required
@require_safe
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_partnership_for_reader(request, slug)
    if not partnership.can_coordinate:
        # Its rounds, each with a link to its report: no members, nothing to change.
        rounds = partnership.rounds.exclude(status=Round.Status.DRAFT)
        context = {"partnership": partnership, "rounds": rounds}
        return render(request, "assessments/partnership_read_only.html", context)
    context = {
        "partnership": partnership,
        "members": partnership.members.active(),
        "rounds": partnership.rounds.all(),
    }
    return render(request, "assessments/partnership_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partnership_contact(request: HttpRequest, slug: str) -> HttpResponse:
    """Who members contact with a question: named on their e-mails and pages, and Reply-To."""
    partnership = get_partnership_for_coordinator(request, slug)
    form = PartnershipContactForm(request.POST or None, instance=partnership)
    if form.is_valid():
        with transaction.atomic():
            form.save(commit=False).save(update_fields=PartnershipContactForm.Meta.fields)
            if form.changed_data:
                fields = form.changed_data
                audit.record(request.user, Kind.CONTACT_CHANGED, partnership, fields=fields)
        messages.success(request, "The contact for members has been saved.")
        return redirect("assessments:partnership-detail", partnership.slug)
    context = {"partnership": partnership, "form": form}
    return render(request, "assessments/partnership_contact.html", context)


# Members


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_partnership_for_coordinator(request, slug)
    return _member_form(request, partnership, Member(partnership=partnership))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    member = get_member_for_coordinator(request, slug, pk)
    return _member_form(request, member.partnership, member)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_erase(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Erase a member's name, e-mail and organisation on request (UK GDPR); answers stay."""
    member = get_member_for_coordinator(request, slug, pk)
    partnership = member.partnership
    if request.method == "POST":
        name = member.name
        services.member_erase(member=member, actor=request.user)
        messages.success(request, f"The personal details of {name} have been erased.")
        return redirect("assessments:partnership-detail", partnership.slug)
    context = {"partnership": partnership, "member": member}
    return render(request, "assessments/member_erase.html", context)


def _member_form(request: HttpRequest, partnership: Partnership, member: Member) -> HttpResponse:
    adding = member.pk is None
    form = MemberForm(request.POST or None, instance=member, partnership=partnership)
    if form.is_valid():
        email_changed = not adding and "email" in form.changed_data
        try:
            with transaction.atomic():
                member = services.member_save(
                    member=form.save(commit=False), email_changed=email_changed
                )
                # The invitations member_save has just given new links, and so told the old
                # address about: read inside its transaction, so they are the same ones.
                told = (
                    email_changed
                    and member.invitations.filter(round__status=Round.Status.OPEN).exists()
                )
                _member_audit(request, member, adding, form.changed_data)
        except IntegrityError:
            # Someone saved the same address a moment ago; the form check could not see it.
            form.add_error("email", "Someone else has just added this e-mail address: check it")
        except services.MemberAnswering:
            form.add_error("email", "They have just started answering: the address cannot change")
        else:
            verb = "added" if adding else "updated"
            message = f"{member.name} has been {verb}."
            if told:
                message += (
                    " We have e-mailed their old address to tell them that their invitation "
                    "now goes to the new one, and that their old link no longer works."
                )
            messages.success(request, message)
            return redirect("assessments:partnership-detail", partnership.slug)
    context = {"partnership": partnership, "form": form, "member": member, "adding": adding}
    return render(request, "assessments/member_form.html", context)


def _member_audit(request: HttpRequest, member: Member, adding: bool, changed: list[str]) -> None:
    # The names of the fields that changed, never their values: the trail outlives an erasure.
    if adding:
        audit.record(request.user, Kind.MEMBER_ADDED, member.partnership, member)
    elif changed:
        audit.record(request.user, Kind.MEMBER_CHANGED, member.partnership, member, fields=changed)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_import(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_partnership_for_coordinator(request, slug)
    form = MemberImportForm(request.POST or None, request.FILES or None, partnership=partnership)
    if form.is_valid():
        # Nothing is saved yet: the coordinator checks what will change, then confirms.
        round = form.cleaned_data["round"]
        return _import_check(request, partnership, form.result, form.plan(), round)
    context = {
        "partnership": partnership,
        "form": form,
        "problems": form.result.problems if form.result else [],
        "columns": COLUMNS,
        "sectors": Sector.choices,
        "roles": Member.Role.choices,
    }
    return render(request, "assessments/member_import.html", context)


def _import_check(
    request: HttpRequest,
    partnership: Partnership,
    result: MemberImport,
    plan: ImportPlan,
    round: Round | None,
    *,
    stale: bool = False,
) -> HttpResponse:
    """The preview: who will be added, who updated (each change), who left as they are."""
    checked = MemberImportConfirmForm.signed(partnership, plan, result.rows, round)
    context = {
        "partnership": partnership,
        "plan": plan,
        "round": round,
        "form": MemberImportConfirmForm(initial={"checked": checked}, partnership=partnership),
        "stale": stale,
    }
    return render(request, "assessments/member_import_check.html", context)


@login_required
@require_POST
def member_import_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Import what the preview showed, checked again: if the members have changed since, the
    preview is shown again as things are now, and nothing is saved."""
    partnership = get_partnership_for_coordinator(request, slug)
    form = MemberImportConfirmForm(request.POST, partnership=partnership)
    if not form.is_valid():
        messages.error(request, form.errors["checked"][0])
        return redirect("assessments:member-import", partnership.slug)
    plan = form.plan()
    if not form.stale:
        try:
            services.members_import(
                partnership=partnership,
                members=plan.added,
                updates=plan.updated,
                round=form.round,
                invite=[match.member for match in plan.unchanged],
                actor=request.user,
            )
        except (IntegrityError, services.MembersChanged):
            # Changed between the check above and the save: look again, as things are now.
            form = MemberImportConfirmForm(request.POST, partnership=partnership)
            if not form.is_valid():
                messages.error(request, form.errors["checked"][0])
                return redirect("assessments:member-import", partnership.slug)
            plan = form.plan()
        else:
            messages.success(request, _imported_message(plan, form.round))
            if form.round is not None:
                return redirect("assessments:round-detail", partnership.slug, form.round.pk)
            return redirect("assessments:partnership-detail", partnership.slug)
    return _import_check(request, partnership, form.result, plan, form.round, stale=True)


def _imported_message(plan: ImportPlan, round: Round | None) -> str:
    added, updated = len(plan.added), len(plan.updated)
    message = f"{added} member{'s' if added != 1 else ''} imported."
    if updated:
        message += f" {updated} member{'s' if updated != 1 else ''} updated."
    if round is not None:
        message += f" Everyone in the file is on the invitation list of {round.title}."
    return message


@login_required
@require_safe
def member_import_template(request: HttpRequest, slug: str) -> HttpResponse:
    get_partnership_for_coordinator(request, slug)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="members-template.csv"'
    return response


# Members of a round: the filters of the round page's table, and who has not responded

# The filter's statuses, as the response statuses they stand for, in the order "sort by
# response" lists them: those to chase first.
_STATUS_FILTERS = {"not_started": "", "in_progress": "draft", "submitted": "submitted"}
_STATUS_ORDER = list(_STATUS_FILTERS.values())


def _members_shown(invitations: list[Invitation], filters: dict[str, str]) -> list[Invitation]:
    """The invitations the filters keep, in the order asked for. Filtered here, not in SQL: the
    page has every invitation of the round already, for its counts, so this costs no query.
    The sector is the member's recorded one (see RoundMembersFilterForm on anonymity)."""
    shown = invitations
    if filters.get("status"):
        wanted = _STATUS_FILTERS[filters["status"]]
        shown = [i for i in shown if i.response_status == wanted]
    if filters.get("sector"):
        shown = [i for i in shown if i.member.sector == filters["sector"]]
    if filters.get("sort") == "status":  # a stable sort: by name within each status
        shown = sorted(shown, key=lambda i: _STATUS_ORDER.index(i.response_status))
    return shown


def _not_responded(invitation: Invitation) -> bool:
    return invitation.response_status != "submitted" and not invitation.member.erased_at


@login_required
@require_safe
def round_not_responded(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Names and e-mail addresses of the invited members who have not submitted, for the
    coordinator's own reminders: nothing about anyone's answers, and no erased member."""
    round = get_round_for_coordinator(request, slug, pk)
    rows = (
        round.invitations.filter(member__erased_at__isnull=True)
        .exclude(response__status=Response.Status.SUBMITTED)
        .order_by("member__name", "pk")
        .values_list("member__name", "member__email")
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Name", "E-mail address"])
    writer.writerows([_csv_safe(name), email] for name, email in rows)
    # A byte order mark first, as on every CSV here: Excel then reads the file as UTF-8.
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{round.partnership.slug}-round-{round.pk}-not-responded.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A list of names and addresses leaving the service is worth knowing about.
    audit.record_read(request, Kind.CSV_DOWNLOADED, round.partnership, round, file="not_responded")
    return response


def _csv_safe(text: str) -> str:
    # A name such as "=HYPERLINK(…)" (an imported file's) must not run as a spreadsheet formula;
    # the same rule as reports.report.csv_safe, which this app cannot import.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# Rounds


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_partnership_for_coordinator(request, slug)
    form = RoundForm(request.POST or None, instance=Round(partnership=partnership))
    if form.is_valid():
        with transaction.atomic():
            round = form.save()
            audit.record(request.user, Kind.ROUND_CREATED, partnership, round)
        messages.success(request, f"{round.title} has been created as a draft.")
        return redirect("assessments:round-detail", partnership.slug, round.pk)
    context = {"partnership": partnership, "form": form}
    return render(request, "assessments/round_form.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_round_for_coordinator(request, slug, pk)
    if not round.is_draft:
        messages.error(request, "Only a draft round can be changed: this one has been opened.")
        return redirect("assessments:round-detail", slug, round.pk)
    form = RoundForm(request.POST or None, instance=round)
    if form.is_valid():
        with transaction.atomic():
            form.save()
            if form.changed_data:
                partnership, fields = round.partnership, form.changed_data
                audit.record(request.user, Kind.ROUND_CHANGED, partnership, round, fields=fields)
        messages.success(request, f"{round.title} has been updated.")
        return redirect("assessments:round-detail", slug, round.pk)
    context = {"partnership": round.partnership, "round": round, "form": form}
    return render(request, "assessments/round_form.html", context)


@login_required
@require_safe
def round_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The response-rate page: who has been invited and who has responded, never what they said."""
    round = get_round_for_coordinator(request, slug, pk)
    invitations = list(
        round.invitations.select_related("member", "response").order_by("member__name", "pk")
    )
    for invitation in invitations:
        response = invitation.response_or_none
        invitation.response_status = response.status if response else ""
    filters = RoundMembersFilterForm.from_query(request.GET)
    # The counts by sector come through the disclosure gate ({% response_rates %}).
    context = {
        "partnership": round.partnership,
        "round": round,
        "invitations": _members_shown(invitations, filters.cleaned_data),
        "filters": filters,
        "invited_count": len(invitations),
        "not_responded": sum(1 for i in invitations if _not_responded(i)),
    }
    context["invitees"] = _invitees_count(round)
    return render(request, "assessments/round_detail.html", context)


def _invitees_count(round: Round) -> dict[str, int]:
    """Current members, and how many of them are on the round's list, in one query: "every
    current member" is a rule, and members added since it opened are not on the list yet."""
    counts = round.partnership.members.active().aggregate(
        members=Count("pk", distinct=True),
        invited=Count("invitations", filter=Q(invitations__round=round)),
    )
    return counts | {"not_yet": counts["members"] - counts["invited"]}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_invitees(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_round_for_coordinator(request, slug, pk)
    if round.invite_all_members or round.is_closed:
        messages.error(request, _invitees_refusal(round))
        return redirect("assessments:round-detail", slug, round.pk)
    form = RoundInviteesForm(request.POST or None, round=round)
    if form.is_valid():
        with transaction.atomic():
            members = form.cleaned_data["members"]
            added = services.invitations_create(round=round, members=members)
            if added:
                audit.record(
                    request.user,
                    Kind.ROUND_CHANGED,
                    round.partnership,
                    round,
                    fields=["invitation_list"],
                    invitees_added=added,
                )
        messages.success(
            request, f"{added} member{'s' if added != 1 else ''} added to the invitation list."
        )
        return redirect("assessments:round-detail", slug, round.pk)
    context = {"partnership": round.partnership, "round": round, "form": form}
    return render(request, "assessments/round_invitees.html", context)


def _invitees_refusal(round: Round) -> str:
    if round.is_closed:
        return "This round has closed: nobody more can be invited."
    return "This round invites every current member, so there is nobody to choose."


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_open(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_round_for_coordinator(request, slug, pk)
    if request.method == "POST":
        try:
            services.round_open(round=round, actor=request.user)
        except services.RoundStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"{round.title} is open and its questions are fixed. Send the invitations."
            )
        return redirect("assessments:round-detail", slug, round.pk)
    context = {
        "partnership": round.partnership,
        "round": round,
        "invited": round.invitations.count(),
        "members": round.partnership.members.active().count(),
    }
    return render(request, "assessments/round_open.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_round_for_coordinator(request, slug, pk)
    if request.method == "POST":
        try:
            services.round_close(round=round, actor=request.user)
        except services.RoundStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{round.title} is closed. Nobody can answer any more.")
        return redirect("assessments:round-detail", slug, round.pk)
    return render(
        request, "assessments/round_close.html", {"partnership": round.partnership, "round": round}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_send_invitations(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks first (how many, and the e-mail as it will arrive); POST sends."""
    round = get_round_for_coordinator(request, slug, pk)
    if request.method == "POST":
        return _send(request, round, reminder=False)
    return _send_confirm(request, round, reminder=False)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_send_reminders(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_round_for_coordinator(request, slug, pk)
    if request.method == "POST":
        return _send(request, round, reminder=True)
    return _send_confirm(request, round, reminder=True)


def _send_confirm(request: HttpRequest, round: Round, *, reminder: bool) -> HttpResponse:
    if not round.accepts_answers:
        messages.error(request, "Invitations can only be sent while the round is open.")
        return redirect("assessments:round-detail", round.partnership.slug, round.pk)
    context = {
        "partnership": round.partnership,
        "round": round,
        "reminder": reminder,
        "count": services.invitations_due(round=round, reminder=reminder),
        "email": _email_preview(round, reminder=reminder),
    }
    return render(request, "assessments/round_send.html", context)


PREVIEW_NAME, PREVIEW_LINK = "[their name]", "[their personal link]"


def _email_preview(round: Round, *, reminder: bool) -> dict[str, str]:
    """The subject and text of the e-mail, with this round's real values (from the same
    context as tasks.py sends) but a placeholder for the name and the link: the coordinator
    never sees a link."""
    context = invitation_email_context(
        round=round, member={"name": PREVIEW_NAME}, link=PREVIEW_LINK, reminder=reminder
    )
    subject = render_to_string("emails/invitation_subject.txt", context)
    body = render_to_string("emails/invitation_body.txt", context)
    return {"subject": " ".join(subject.split()), "body": body.strip()}


def _send(request: HttpRequest, round: Round, *, reminder: bool) -> HttpResponse:
    try:
        count = services.invitations_send(round=round, reminder=reminder, actor=request.user)
    except services.RoundStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _sent_message(count, reminder))
    return redirect("assessments:round-detail", round.partnership.slug, round.pk)


def _sent_message(count: int, reminder: bool) -> str:
    if count == 0:
        if reminder:
            return "Everyone invited has responded: there is nobody to remind."
        return "Everyone on the invitation list has already been sent an invitation."
    noun = "reminder" if reminder else "invitation"
    return f"{count} {noun}{'s' if count != 1 else ''} sent. The e-mail status of each is below."


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_closing_date(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change an open round's closing date: respondents' pages and reminders show the new one."""
    round = get_round_for_coordinator(request, slug, pk)
    if round.closing_date_refusal():
        messages.error(request, round.closing_date_refusal())
        return redirect("assessments:round-detail", slug, round.pk)
    form = RoundClosingDateForm(request.POST or None, round=round)
    if form.is_valid():
        try:
            round = services.round_extend(
                round=round, closes_on=form.cleaned_data["closes_on"], actor=request.user
            )
        except services.RoundStateError as error:
            messages.error(request, str(error))  # closed since the page was shown
        else:
            messages.success(
                request,
                f"{round.title} now closes at the end of {round.closes_on:%-d %B %Y}. Members "
                "see the new date on their pages and in any reminder you send.",
            )
        return redirect("assessments:round-detail", slug, round.pk)
    context = {"partnership": round.partnership, "round": round, "form": form}
    return render(request, "assessments/round_closing_date.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_copy(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A new draft with the round's settings and invitees, under a title and dates asked here."""
    round = get_round_for_coordinator(request, slug, pk)
    like = Round(
        partnership=round.partnership,
        min_group_size=round.min_group_size,
        invite_all_members=round.invite_all_members,
    )
    opens_on, closes_on = _copy_dates(round)
    initial = {"title": _copy_title(round), "opens_on": opens_on, "closes_on": closes_on}
    form = RoundCopyForm(request.POST or None, instance=like, initial=initial)
    if form.is_valid():
        copy = services.round_copy(round=round, **form.cleaned_data, actor=request.user)
        messages.success(
            request, f"{copy.title} has been created as a draft, copied from {round.title}."
        )
        return redirect("assessments:round-detail", slug, copy.pk)
    context = {
        "partnership": round.partnership,
        "round": round,
        "form": form,
        "moved_on": opens_on != round.opens_on,
        "invitees": None if round.invite_all_members else _current_invitees(round),
    }
    return render(request, "assessments/round_copy.html", context)


def _copy_title(round: Round) -> str:
    suffix = " (copy)"
    return round.title[: Round._meta.get_field("title").max_length - len(suffix)] + suffix


def _copy_dates(round: Round) -> tuple[datetime.date, datetime.date]:
    """The original's dates, or, once they have passed, the same days as many years on as it
    takes to close today or later: a yearly round's copy runs at the same time of year."""
    today = timezone.localdate()
    years = max(0, today.year - round.closes_on.year)
    if _years_on(round.closes_on, years) < today:
        years += 1
    return _years_on(round.opens_on, years), _years_on(round.closes_on, years)


def _years_on(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, into a year that has none
        return day.replace(year=day.year + years, day=28)


def _current_invitees(round: Round) -> int:
    return Member.objects.active().filter(invitations__round=round).count()


# Invitations


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_send_link(
    request: HttpRequest, slug: str, pk: int, invitation_pk: int
) -> HttpResponse:
    """E-mail a member their personal link again, to their own address. The coordinator never
    sees it: the link opens the member's answers."""
    invitation = get_invitation_for_coordinator(request, slug, pk, invitation_pk)
    round = invitation.round
    if not round.accepts_answers:
        messages.error(request, "Links can only be sent while the round is open.")
        return redirect("assessments:round-detail", slug, round.pk)
    if request.method == "POST":
        new_link = request.POST.get("new_link") == "yes"
        services.invitation_send_again(invitation=invitation, new_link=new_link, actor=request.user)
        member, which = invitation.member, "new link" if new_link else "link"
        messages.success(request, f"{member.name}’s {which} is being sent to {member.email}.")
        return redirect("assessments:round-detail", slug, round.pk)
    context = {"partnership": round.partnership, "round": round, "invitation": invitation}
    return render(request, "assessments/invitation_send_link.html", context)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, slug: str, pk: int, invitation_pk: int) -> HttpResponse:
    invitation = get_invitation_for_coordinator(request, slug, pk, invitation_pk)
    round = invitation.round
    if not round.accepts_answers:
        messages.error(request, "Invitations can only be sent while the round is open.")
    elif invitation.send_status != Invitation.SendStatus.FAILED:
        messages.error(request, f"The invitation to {invitation.member.name} has not failed.")
    else:
        services.invitation_send_again(invitation=invitation, actor=request.user)
        name = invitation.member.name
        messages.success(request, f"The invitation to {name} is being sent again.")
    return redirect("assessments:round-detail", slug, round.pk)
