from django.urls import path

from . import views

app_name = "reports"

ROUND = "partnerships/<slug:slug>/rounds/<int:pk>/"

urlpatterns = [
    # /partnerships/<slug>/rounds/<pk>/: the report, its downloads, the action plan, the workshop
    # view for the results meeting, share links
    path(f"{ROUND}report/", views.round_report, name="round-report"),
    path(f"{ROUND}report.pdf", views.round_report_pdf, name="round-report-pdf"),
    path(f"{ROUND}answers.csv", views.round_answers_csv, name="round-answers-csv"),
    path(f"{ROUND}summary.csv", views.round_summary_csv, name="round-summary-csv"),
    path(f"{ROUND}actions/add/", views.action_add, name="action-add"),
    path(f"{ROUND}actions/<int:action_pk>/edit/", views.action_edit, name="action-edit"),
    path(f"{ROUND}actions/<int:action_pk>/delete/", views.action_delete, name="action-delete"),
    path(f"{ROUND}workshop/", views.workshop, name="workshop"),
    path(f"{ROUND}workshop/<int:number>/", views.workshop_principle, name="workshop-principle"),
    path(f"{ROUND}share/", views.share_links, name="share-links"),
    path(f"{ROUND}share/<int:link_pk>/revoke/", views.share_link_revoke, name="share-link-revoke"),
    # /shared/<token>/: the forum's read-only report, no account needed
    path("shared/<str:token>/", views.shared_report, name="shared-report"),
    path("shared/<str:token>/report.pdf", views.shared_report_pdf, name="shared-report-pdf"),
    path("shared/<str:token>/answers.csv", views.shared_answers_csv, name="shared-answers-csv"),
    path("shared/<str:token>/summary.csv", views.shared_summary_csv, name="shared-summary-csv"),
]
