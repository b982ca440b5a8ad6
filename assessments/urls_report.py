from django.urls import path

from .views import report as views

app_name = "reports"

# /partnerships/<slug>/rounds/<pk>/ (report, PDF, CSV, action plan, share links)
# and /shared/<token>/ (the forum's read-only view)
urlpatterns: list = []
