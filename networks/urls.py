from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    # /networks/: the network's staff
    path("networks/", views.network_list, name="network-list"),
    path("networks/<slug:slug>/", views.network_detail, name="network-detail"),
    path("networks/<slug:slug>/rounds/<int:pk>/", views.network_round, name="network-round"),
    # /partnerships/<slug>/: the coordinator joins, leaves and shares rounds
    path(
        "partnerships/<slug:slug>/network/",
        views.partnership_network,
        name="partnership-network",
    ),
    path(
        "partnerships/<slug:slug>/network/leave/",
        views.partnership_network_leave,
        name="partnership-network-leave",
    ),
    path(
        "partnerships/<slug:slug>/rounds/<int:pk>/network/share/",
        views.round_share,
        name="round-share",
    ),
    path(
        "partnerships/<slug:slug>/rounds/<int:pk>/network/stop-sharing/",
        views.round_unshare,
        name="round-unshare",
    ),
]
