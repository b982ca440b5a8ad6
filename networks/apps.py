from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "networks"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the signal receivers
