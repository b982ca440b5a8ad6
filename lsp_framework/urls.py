from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from lib.health import health

admin.site.site_header = "Principles of Representation: administration"
admin.site.site_title = "Principles of Representation admin"
admin.site.index_title = "Principles, scale, partnerships and coordinators"


def page(name: str, template: str):
    return path(
        name, TemplateView.as_view(template_name=template), name=template.split("/")[-1][:-5]
    )


# Pages that say what the service is and how it treats people.
pages = (
    [
        page("", "pages/home.html"),
        page("accessibility/", "pages/accessibility.html"),
        page("privacy/", "pages/privacy.html"),
    ],
    "pages",
)

urlpatterns = [
    path("", include(pages)),
    path("principles/", include("principles.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("partnerships/", include("assessments.urls")),
    path("", include("reports.urls")),
    path("", include("networks.urls")),
    path("r/", include("assessments.urls_respond")),
    path("team/", include("assessments.urls_team")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
]
