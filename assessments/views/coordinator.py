"""Coordinator pages: partnerships, members, rounds, invitations and the response-rate page.

Everything is reached through a partnership the signed-in person coordinates: a stranger gets
404, never a hint that the thing exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import services
from ..access import (
    get_invitation_for_coordinator,
    get_member_for_coordinator,
    get_partnership_for_coordinator,
    get_partnerships_for_coordinator,
    get_round_for_coordinator,
)
from ..csv_import import COLUMNS, template_csv
from ..forms.coordinator import MemberForm, MemberImportForm, RoundForm, RoundInviteesForm
from ..models import Invitation, Member, Partnership, Response, Round, Sector

# Partnerships


@login_required
@require_safe
def partnership_list(request: HttpRequest) -> HttpResponse:
    partnerships = get_partnerships_for_coordinator(request)
    return render(request, "assessments/partnership_list.html", {"partnerships": partnerships})


@login_required
@require_safe
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_partnership_for_coordinator(request, slug)
    context = {
        "partnership": partnership,
        "members": partnership.members.active(),
        "rounds": partnership.rounds.all(),
    }
    return render(request, "assessments/partnership_detail.html", context)


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
        services.member_erase(member=member)
        messages.success(request, f"The personal details of {name} have been erased.")
        return redirect("assessments:partnership-detail", partnership.slug)
    context = {"partnership": partnership, "member": member}
    return render(request, "assessments/member_erase.html", context)


def _member_form(request: HttpRequest, partnership: Partnership, member: Member) -> HttpResponse:
    adding = member.pk is None
    form = MemberForm(request.POST or None, instance=member, partnership=partnership)
    if form.is_valid():
        try:
            with transaction.atomic():
                member = services.member_save(
                    member=form.save(commit=False), email_changed="email" in form.changed_data
                )
        except IntegrityError:
            # Someone saved the same address a moment ago; the form check could not see it.
            form.add_error("email", "Someone else has just added this e-mail address: check it")
        except services.MemberAnswering:
            form.add_error("email", "They have just started answering: the address cannot change")
        else:
            verb = "added" if adding else "updated"
            messages.success(request, f"{member.name} has been {verb}.")
            return redirect("assessments:partnership-detail", partnership.slug)
    context = {"partnership": partnership, "form": form, "member": member, "adding": adding}
    return render(request, "assessments/member_form.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_import(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_partnership_for_coordinator(request, slug)
    form = MemberImportForm(request.POST or None, request.FILES or None, partnership=partnership)
    if form.is_valid():
        round = form.cleaned_data["round"]
        try:
            created = services.members_import(
                partnership=partnership, members=form.result.members, round=round
            )
        except IntegrityError:
            form.add_error("file", "Someone has just added one of these members: upload it again")
        else:
            messages.success(request, _imported_message(len(created), round))
            if round is not None:
                return redirect("assessments:round-detail", partnership.slug, round.pk)
            return redirect("assessments:partnership-detail", partnership.slug)
    context = {
        "partnership": partnership,
        "form": form,
        "problems": form.result.problems if form.result else [],
        "columns": COLUMNS,
        "sectors": Sector.choices,
        "roles": Member.Role.choices,
    }
    return render(request, "assessments/member_import.html", context)


def _imported_message(count: int, round: Round | None) -> str:
    message = f"{count} member{'s' if count != 1 else ''} imported."
    if round is not None:
        message += f" They are on the invitation list of {round.title}."
    return message


@login_required
@require_safe
def member_import_template(request: HttpRequest, slug: str) -> HttpResponse:
    get_partnership_for_coordinator(request, slug)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="members-template.csv"'
    return response


# Rounds


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_partnership_for_coordinator(request, slug)
    form = RoundForm(request.POST or None, instance=Round(partnership=partnership))
    if form.is_valid():
        round = form.save()
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
        form.save()
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
        invitation.response_status = _response_status(invitation)
    # The counts by sector come through the disclosure gate ({% response_rates %}).
    context = {"partnership": round.partnership, "round": round, "invitations": invitations}
    return render(request, "assessments/round_detail.html", context)


def _response_status(invitation: Invitation) -> str:
    try:
        return invitation.response.status
    except Response.DoesNotExist:
        return ""


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_invitees(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_round_for_coordinator(request, slug, pk)
    if round.invite_all_members or round.is_closed:
        messages.error(request, _invitees_refusal(round))
        return redirect("assessments:round-detail", slug, round.pk)
    form = RoundInviteesForm(request.POST or None, round=round)
    if form.is_valid():
        added = services.invitations_create(round=round, members=form.cleaned_data["members"])
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
            services.round_open(round=round)
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
            services.round_close(round=round)
        except services.RoundStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{round.title} is closed. Nobody can answer any more.")
        return redirect("assessments:round-detail", slug, round.pk)
    return render(
        request, "assessments/round_close.html", {"partnership": round.partnership, "round": round}
    )


@login_required
@require_POST
def round_send_invitations(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _send(request, get_round_for_coordinator(request, slug, pk), reminder=False)


@login_required
@require_POST
def round_send_reminders(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _send(request, get_round_for_coordinator(request, slug, pk), reminder=True)


def _send(request: HttpRequest, round: Round, *, reminder: bool) -> HttpResponse:
    try:
        count = services.invitations_send(round=round, reminder=reminder)
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
        services.invitation_send_again(invitation=invitation, new_link=new_link)
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
        services.invitation_send_again(invitation=invitation)
        name = invitation.member.name
        messages.success(request, f"The invitation to {name} is being sent again.")
    return redirect("assessments:round-detail", slug, round.pk)
