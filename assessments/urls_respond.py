from django.urls import path

from .views import respondent as views

app_name = "respond"

# /r/<token>/: a respondent's personal link, no account
urlpatterns = [
    path("<str:token>/", views.start, name="start"),
    path("<str:token>/principles/<int:number>/", views.principle, name="principle"),
    path("<str:token>/check/", views.check, name="check"),
    path("<str:token>/done/", views.done, name="done"),
]
