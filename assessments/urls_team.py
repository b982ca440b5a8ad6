from django.urls import path

from .views import team as views

app_name = "team"

# /team/join/<token>/: the link in an invitation to a partnership's team, no account needed
urlpatterns = [
    path("join/<str:token>/", views.join, name="join"),
]
