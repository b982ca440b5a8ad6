from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, str | int]:
    return {"service_name": settings.SERVICE_NAME, "retention_months": settings.RETENTION_MONTHS}
