"""Settings for the load test and the report benchmark: the site's own, plus this folder as an
app (its commands and the bare page's template) and its URLs (the site's and the bare page).

    python manage.py load_test --settings=perf.settings --respondents 200
    python manage.py benchmark_report --settings=perf.settings --respondents 1000
"""

from lsp_framework.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "perf"]  # noqa: F405
ROOT_URLCONF = "perf.urls"
