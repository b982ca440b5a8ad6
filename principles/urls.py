from django.urls import path

from . import views

app_name = "principles"

# /principles/
urlpatterns = [
    path("", views.principle_list, name="list"),
]
