"""Time django-survey-and-report 1.5.0's per-question counts,
`Question.sorted_answers_cardinality()` (what its Question2Tex exporter calls), for all 29 radio
questions of a survey with 1,000 submitted responses (5 choices and "Don't know", each equally
likely, seed 2008),
cold (a dummy cache, the questions read afresh each run), median of 9 runs (queries counted in a
fourth), on a throw-away SQLite file under /tmp. The peer stores "Don't know" as a sixth choice: an
empty answer breaks its sort.
It runs in the peer's own virtual environment, never ours: `make peer-benchmark` makes it
(/tmp/lsp-peer-venv) and compares the median with our report data, counted (`benchmark_report`).
"""

import os
import random
import statistics
import sys
import time

import django
from django.conf import settings

DB = "/tmp/lsp-peer-bench.sqlite3"  # noqa: S108
for suffix in ("", "-wal", "-shm", "-journal"):
    if os.path.exists(DB + suffix):
        os.remove(DB + suffix)
settings.configure(
    DEBUG=False,
    SECRET_KEY="peer-benchmark",  # noqa: S106
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "survey"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DB}},
    CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    USE_TZ=True,
)
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from survey.models import Answer, Question, Response, Survey  # noqa: E402

N, Q, SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 1000, 29, 2008
call_command("migrate", verbosity=0)
rng = random.Random(SEED)
with transaction.atomic():
    survey = Survey.objects.create(name="Peer", description="d", need_logged_user=True)
    questions = [
        Question.objects.create(
            text=f"Statement {i}",
            order=i,
            required=False,
            survey=survey,
            type=Question.RADIO,
            choices="1, 2, 3, 4, 5, dont-know",
        )
        for i in range(Q)
    ]
    users = User.objects.bulk_create([User(username=f"u{i}") for i in range(N)])
    responses = Response.objects.bulk_create(
        [Response(survey=survey, user=u, interview_uuid=f"{i:036d}") for i, u in enumerate(users)]
    )
    answers = []
    for r in responses:
        for q in questions:
            score = rng.choice([None, 1, 2, 3, 4, 5])
            answers.append(
                Answer(question=q, response=r, body="dont-know" if score is None else str(score))
            )
    Answer.objects.bulk_create(answers, batch_size=2000)

times = []
for _ in range(9):
    fresh = list(Question.objects.filter(survey=survey).order_by("order"))  # nothing cached
    started = time.perf_counter()
    counts = [q.sorted_answers_cardinality() for q in fresh]
    times.append(time.perf_counter() - started)
# Queries counted in one more run, not while timed (as our benchmark_report does): recording
# them costs SQLite one more query each.
fresh = list(Question.objects.filter(survey=survey).order_by("order"))
with CaptureQueriesContext(connection) as captured:
    [q.sorted_answers_cardinality() for q in fresh]
queries = len(captured.captured_queries)
reset_queries()
print(f"peer queries: {queries} for {Q} questions; sample counts: {counts[0]}")
print(
    f"peer per-question counts, {Q} questions, {N:,} responses: "
    f"median {statistics.median(times) * 1000:.0f} ms"
)
