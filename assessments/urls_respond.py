from django.urls import path

from .views import respondent as views

app_name = "respond"

# /r/<token>/
urlpatterns: list = []
