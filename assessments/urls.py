from django.urls import path

from .views import coordinator as views

app_name = "assessments"

# /partnerships/
urlpatterns: list = []
