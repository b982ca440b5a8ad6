"""How long the network benchmark takes at the size of a national network:
`manage.py benchmark_network --settings=perf.settings --partnerships 350 --responses 20000`.

It builds a throw-away network of that many partnerships, each with one closed round shared with
the network, the responses spread over them (between a third and five thirds of the average
each), inside a transaction that it rolls back: the database is left as it was. The rounds are
opened through the service (their wording frozen as in real use); their responses are written
in bulk straight into the published snapshot (PublishedResponse, PublishedAnswer), with the
Response rows they point at but without the live answers, which no report or benchmark reads.
Then it measures, with queries counted, one partnership's benchmark against all the others
(`benchmark_for_round`), its report page, and the network's page for its staff.
"""

import datetime
import math
import random
import secrets
import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.test import RequestFactory
from django.utils import timezone

from assessments import services
from assessments.models import Invitation, Member, Partnership, Response, Round, Sector, token_new
from networks.benchmark import benchmark_for_round
from networks.models import Network, NetworkMembership, SharedRound
from networks.views import network_detail
from principles.models import Principle
from reports.models import Publication, PublishedAnswer, PublishedResponse
from reports.report import report_build
from reports.views import round_report

from .benchmark_report import Measure

SECTORS = [Sector.THIRD_SECTOR, Sector.LOCAL_AUTHORITY, Sector.HEALTH, Sector.BUSINESS]
WEIGHTS = [45, 25, 20, 10]
BATCH = 5000


class Command(BaseCommand):
    help = "Time the benchmark across a throw-away network of partnerships (rolled back)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--partnerships", type=int, default=350)
        parser.add_argument("--responses", type=int, default=20000, help="in all")
        parser.add_argument("--seed", type=int, default=2008)

    def handle(self, *args, partnerships: int, responses: int, seed: int, **options) -> None:
        if partnerships < 6:
            raise CommandError("The benchmark needs at least 6 partnerships (5 others).")
        with transaction.atomic():
            started = time.perf_counter()
            network, round, user = self.build(partnerships, responses, random.Random(seed))
            built = time.perf_counter() - started
            shared = {"round__network_share__membership__network": network}
            answers = PublishedAnswer.objects.filter(**shared).count()
            total = PublishedResponse.objects.filter(**shared).count()
            results, peers = self.measure(network, round, user)
            transaction.set_rollback(True)  # leave the database as it was
        self.stdout.write(
            f"Network of {partnerships} partnerships, {total} responses in their snapshots "
            f"({answers} answers), built in {built:.1f} s on {connection.vendor}; "
            f"the benchmark counts {peers} other partnerships."
        )
        self.stdout.write(f"{'':34}{'first':>9}{'median':>9}{'queries':>9}{'peak MiB':>10}")
        for r in results:
            self.stdout.write(
                f"{r['label']:34}{r['first_ms']:>7.0f}ms{r['median_ms']:>7.0f}ms"
                f"{r['queries']:>9}{r['peak_mib']:>10.1f}"
            )

    def build(self, count: int, responses: int, rng: random.Random):
        if not Principle.objects.exists():
            call_command("load_principles", verbosity=0)
        tag = token_new()[1][:10]
        network = Network.objects.create(name=f"Benchmark network {tag}", slug=f"bench-{tag}")
        user = get_user_model().objects.create_user(f"benchmark-{tag}")
        network.staff.add(user)
        partnerships = Partnership.objects.bulk_create(
            Partnership(name=f"Partnership {n}", slug=f"bench-{tag}-{n}", area="Nowhere")
            for n in range(count)
        )
        partnerships[0].coordinators.add(user)
        NetworkMembership.objects.bulk_create(
            NetworkMembership(partnership=p, network=network) for p in partnerships
        )
        # Between a third and five thirds of the average each, scaled to the total asked for.
        weights = [rng.uniform(1 / 3, 5 / 3) for _ in partnerships]
        sizes = [max(5, round(responses * w / sum(weights))) for w in weights]
        rounds = [self.round(p, size, rng) for p, size in zip(partnerships, sizes, strict=True)]
        SharedRound.objects.bulk_create(
            SharedRound(round=round, membership=membership)
            for round, membership in zip(
                rounds,
                NetworkMembership.objects.filter(network=network).order_by("pk"),
                strict=True,
            )
        )
        measured = Round.objects.select_related("partnership").get(pk=rounds[0].pk)
        return network, measured, user

    def round(self, partnership: Partnership, size: int, rng: random.Random) -> Round:
        """A round opened through the service, its snapshot written in bulk, then closed."""
        today = timezone.localdate()
        round = Round.objects.create(
            partnership=partnership,
            title="Spring assessment",
            opens_on=today - datetime.timedelta(days=60),
            closes_on=today - datetime.timedelta(days=30),
            invite_all_members=False,
        )
        round = services.round_open(round=round)
        sectors = rng.choices(SECTORS, weights=WEIGHTS, k=size)
        members = Member.objects.bulk_create(
            Member(partnership=partnership, name=f"M{n}", email=f"m{n}@bench.invalid", sector=s)
            for n, s in enumerate(sectors)
        )
        invitations = Invitation.objects.bulk_create(
            Invitation(round=round, member=member, token_hash=secrets.token_hex(32))
            for member in members
        )
        now = timezone.now()
        answered = Response.objects.bulk_create(
            Response(
                round=round,
                invitation=invitation,
                sector=member.sector,
                status=Response.Status.SUBMITTED,
                submitted_at=now,
                revision=1,
            )
            for invitation, member in zip(invitations, members, strict=True)
        )
        published = PublishedResponse.objects.bulk_create(
            PublishedResponse(
                round=round,
                response=response,
                revision=1,
                sector=response.sector,
                order_key=secrets.token_hex(16),
            )
            for response in answered
        )
        questions = list(round.questions.select_related("principle"))
        lean = {q.pk: (rng.uniform(2.3, 3.8), rng.uniform(2.8, 4.3)) for q in questions}
        PublishedAnswer.objects.bulk_create(
            (
                PublishedAnswer(
                    round=round,
                    published=row,
                    question=question,
                    sector=row.sector,
                    score=_score(rng, lean[question.pk][row.sector != Sector.THIRD_SECTOR]),
                )
                for row in published
                for question in questions
            ),
            batch_size=BATCH,
        )
        Publication.objects.create(round=round, sequence=1, taken_on=today, responses=size)
        Round.objects.filter(pk=round.pk).update(
            status=Round.Status.CLOSED, closed_at=now - datetime.timedelta(days=rng.randint(1, 300))
        )
        return round

    def measure(self, network: Network, round: Round, user) -> tuple[list[dict], int]:
        factory = RequestFactory()
        report = report_build(round)

        def get(view, **kwargs):
            request = factory.get("/")
            request.user = user
            request.session = {}
            request._messages = []
            response = view(request, **kwargs)
            if response.status_code != 200:
                raise CommandError(f"{view.__name__} answered {response.status_code}")
            return response

        peers = benchmark_for_round(round, report).partnerships
        slug = round.partnership.slug
        # With DEBUG on, Django keeps the last 9,000 queries only: building the network made
        # far more, and a full log would count none.
        measures = [
            ("benchmark (benchmark_for_round)", lambda: benchmark_for_round(round, report)),
            ("report page with it (view)", lambda: get(round_report, slug=slug, pk=round.pk)),
            ("network page (view)", lambda: get(network_detail, slug=network.slug)),
        ]
        results = []
        for label, function in measures:
            reset_queries()
            results.append(Measure(label, function).run())
        return results, peers


def _score(rng: random.Random, mean: float) -> int | None:
    if rng.random() < 0.06:
        return None  # "Don't know"
    return max(1, min(5, math.floor(rng.gauss(mean, 1.0) + 0.5)))
