from django.urls import path

from .views import activity, team
from .views import coordinator as views

app_name = "assessments"

urlpatterns = [
    # /partnerships/
    path("", views.partnership_list, name="partnership-list"),
    path("<slug:slug>/", views.partnership_detail, name="partnership-detail"),
    path("<slug:slug>/contact/", views.partnership_contact, name="partnership-contact"),
    path("<slug:slug>/activity/", activity.partnership_activity, name="partnership-activity"),
    # /partnerships/<slug>/team/: coordinators and readers, and invitations to join
    path("<slug:slug>/team/", team.team, name="team"),
    path("<slug:slug>/team/invite/", team.team_invite, name="team-invite"),
    path(
        "<slug:slug>/team/invitations/<int:invitation_pk>/cancel/",
        team.team_invitation_cancel,
        name="team-invitation-cancel",
    ),
    path("<slug:slug>/team/<int:user_pk>/remove/", team.team_remove, name="team-remove"),
    # /partnerships/<slug>/members/
    path("<slug:slug>/members/add/", views.member_add, name="member-add"),
    path("<slug:slug>/members/<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("<slug:slug>/members/<int:pk>/erase/", views.member_erase, name="member-erase"),
    path("<slug:slug>/members/import/", views.member_import, name="member-import"),
    path(
        "<slug:slug>/members/import/members-template.csv",
        views.member_import_template,
        name="member-import-template",
    ),
    path(
        "<slug:slug>/members/import/confirm/",
        views.member_import_confirm,
        name="member-import-confirm",
    ),
    # /partnerships/<slug>/rounds/
    path("<slug:slug>/rounds/add/", views.round_add, name="round-add"),
    path("<slug:slug>/rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path(
        "<slug:slug>/rounds/<int:pk>/not-responded.csv",
        views.round_not_responded,
        name="round-not-responded",
    ),
    path("<slug:slug>/rounds/<int:pk>/edit/", views.round_edit, name="round-edit"),
    path("<slug:slug>/rounds/<int:pk>/invitees/", views.round_invitees, name="round-invitees"),
    path("<slug:slug>/rounds/<int:pk>/open/", views.round_open, name="round-open"),
    path("<slug:slug>/rounds/<int:pk>/close/", views.round_close, name="round-close"),
    path(
        "<slug:slug>/rounds/<int:pk>/closing-date/",
        views.round_closing_date,
        name="round-closing-date",
    ),
    path("<slug:slug>/rounds/<int:pk>/copy/", views.round_copy, name="round-copy"),
    path(
        "<slug:slug>/rounds/<int:pk>/send-invitations/",
        views.round_send_invitations,
        name="round-send-invitations",
    ),
    path(
        "<slug:slug>/rounds/<int:pk>/send-reminders/",
        views.round_send_reminders,
        name="round-send-reminders",
    ),
    # /partnerships/<slug>/rounds/<pk>/invitations/<invitation_pk>/
    path(
        "<slug:slug>/rounds/<int:pk>/invitations/<int:invitation_pk>/send-link/",
        views.invitation_send_link,
        name="invitation-send-link",
    ),
    path(
        "<slug:slug>/rounds/<int:pk>/invitations/<int:invitation_pk>/send-again/",
        views.invitation_resend,
        name="invitation-resend",
    ),
]
