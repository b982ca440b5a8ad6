"""The partnership's team: who may sign in to it as a coordinator or a reader of its reports,
the invitations to join it, and the single-use link with which a colleague joins.

The team pages are for coordinators only (access.py: 403 for a reader, 404 for a stranger).
The link needs no account: it is the key, until it is used, cancelled, replaced or expires.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import services
from ..access import (
    get_partnership_for_coordinator,
    get_team_invitation_for_coordinator,
    get_teammate_for_coordinator,
    team_invitation_for_link,
)
from ..forms.team import TeamInviteForm, TeamJoinForm
from ..models import TeamInvitation, accounts_for_email
from ..models import team_name as display_name

Role = TeamInvitation.Role


# /partnerships/<slug>/team/


@login_required
@require_safe
def team(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_partnership_for_coordinator(request, slug)
    # On the team every coordinator is one ("Co-coordinator" is what an invitation offers).
    people = [(user, "Coordinator") for user in partnership.coordinators.all()]
    people += [(user, Role.READER.label) for user in partnership.readers.all()]
    people.sort(key=lambda person: (display_name(person[0]).casefold(), person[0].pk))
    context = {
        "partnership": partnership,
        "people": [(user, display_name(user), role) for user, role in people],
        "invitations": partnership.team_invitations.pending().order_by("email", "pk"),
    }
    return render(request, "assessments/team.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_invite(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_partnership_for_coordinator(request, slug)
    form = TeamInviteForm(request.POST or None, partnership=partnership)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.team_invite(
                actor=request.user,
                partnership=partnership,
                email=email,
                role=form.cleaned_data["role"],
            )
        except services.TeamError as error:  # joined while the form was being filled in
            form.add_error("email", str(error))
        except services.TeamInvitationNotSent:
            form.add_error(
                "email",
                "The invitation could not be sent: the e-mail server refused it. Check the "
                "address, or try again later",
            )
        else:
            messages.success(
                request,
                f"We have e-mailed an invitation to {email}. Its link works once, for 7 days. "
                "Any earlier invitation to this address no longer works.",
            )
            return redirect("assessments:team", partnership.slug)
    return render(
        request, "assessments/team_invite.html", {"partnership": partnership, "form": form}
    )


@login_required
@require_POST
def team_invitation_cancel(request: HttpRequest, slug: str, invitation_pk: int) -> HttpResponse:
    invitation = get_team_invitation_for_coordinator(request, slug, invitation_pk)
    try:
        services.team_invitation_revoke(actor=request.user, invitation=invitation)
    except services.TeamError as error:
        messages.error(request, f"{error}.")
    else:
        messages.success(
            request, f"The invitation to {invitation.email} is cancelled: its link no longer works."
        )
    return redirect("assessments:team", slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_remove(request: HttpRequest, slug: str, user_pk: int) -> HttpResponse:
    """Ask, then take someone off the team; leaving it yourself is allowed too, unless you are
    the last coordinator."""
    partnership, teammate = get_teammate_for_coordinator(request, slug, user_pk)
    name, yourself = display_name(teammate), teammate == request.user
    if request.method == "POST":
        try:
            services.team_remove(actor=request.user, partnership=partnership, user=teammate)
        except services.TeamError as error:
            messages.error(request, f"{error}.")
            return redirect("assessments:team", slug)
        if yourself:
            messages.success(request, f"You have left the team of {partnership.name}.")
            return redirect("assessments:partnership-list")
        messages.success(request, f"{name} has been removed from the team.")
        return redirect("assessments:team", slug)
    last = teammate.team_role == Role.COORDINATOR and partnership.coordinators.count() == 1
    context = {
        "partnership": partnership,
        "teammate": teammate,
        "name": name,
        "role": Role(teammate.team_role).label,
        "yourself": yourself,
        "refusal": services.team_last_coordinator_refusal(request.user, teammate) if last else "",
    }
    return render(request, "assessments/team_remove.html", context)


# /team/join/<token>/: the link in a colleague's invitation, no account needed


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """Who invited them to what, as which role; then, depending on who opens it:

    - nobody signed in, no account for the address: a name and a password make one;
    - nobody signed in, an account for the address exists: sign in as it, then accept;
    - signed in as that account: accept;
    - signed in as someone else: sign out first (the link is for the address, not for them).
    """
    invitation = team_invitation_for_link(token)
    if invitation is None:
        return _link_not_working(request)
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "partnership": invitation.partnership,
        "inviter": display_name(inviter) if inviter else "A coordinator",
        "role": Role(invitation.role).label,
    }
    account = accounts_for_email(invitation.email)
    if request.user.is_authenticated:
        if not account.filter(pk=request.user.pk).exists():
            return render(request, "assessments/team_join.html", context | {"state": "other"})
        if request.method == "POST":
            return _join(request, invitation)
        return render(request, "assessments/team_join.html", context | {"state": "accept"})
    if account.exists():
        return render(request, "assessments/team_join.html", context | {"state": "sign_in"})
    form = TeamJoinForm(request.POST or None, email=invitation.email)
    if form.is_valid():
        return _join(request, invitation, form)
    return render(request, "assessments/team_join.html", context | {"state": "new", "form": form})


def _join(request: HttpRequest, invitation: TeamInvitation, form=None) -> HttpResponse:
    fields = {}
    if form is not None:
        fields = {"name": form.cleaned_data["name"], "password": form.cleaned_data["password1"]}
    try:
        user = services.team_join(actor=request.user, invitation=invitation, **fields)
    except services.TeamLinkNotWorking:
        return _link_not_working(request)
    except IntegrityError:
        # The account was made a moment ago, by this link opened twice: sign in as it.
        return redirect(request.path)
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    partnership = invitation.partnership
    as_role = JOINED_AS[invitation.role]
    messages.success(request, f"You have joined the team of {partnership.name} {as_role}.")
    return redirect("assessments:partnership-detail", partnership.slug)


JOINED_AS = {Role.COORDINATOR: "as a co-coordinator", Role.READER: "to read its reports"}


def _link_not_working(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/team_link_not_working.html", status=404)
