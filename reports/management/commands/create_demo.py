"""Demo data for `make run`: one partnership, a coordinator, and three rounds of answers.

An autumn 2025 round and a spring 2026 round (closed, about 30 and 40 responses: enough for a
trend and for every sector breakdown the report shows), and an open autumn 2026 round with some
responses in. Scores are drawn from a seeded generator with a few deliberate patterns (the third
sector sees sustainability and equality less favourably than other partners) so the report has
something to say. Running it again changes nothing.

Northbridge is in a network, the Northshire Voluntary Action Network, with six other
partnerships; each has a closed round of 15 responses (three snapshots of five, so none is
left out at closing) that it shared with the network, five of them with enough respondents in
each group for their reports to compare the third sector with everyone else. So Northbridge's
reports show the benchmark against six others, the third sector's view and the gap included,
and the network's staff (`demo-network`) see all seven. Northbridge shares its spring 2026 round.
"""

import datetime
import os
import random
import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from assessments import audit, services
from assessments.models import Member, Partnership, Response, Round, Sector
from networks import services as network_services
from networks.models import Network
from reports.models import Action, PrincipleReview, Publication

SLUG = "northbridge"
COORDINATOR = "demo-coordinator"
NETWORK_STAFF = "demo-network"
NETWORK = "Northshire Voluntary Action Network"

# The network's other partnerships: name, when their round opened, how many of the third sector
# and of everyone else responded (15 in all: three snapshots of five, none left out at closing),
# and how far their scores lean from Northbridge's spring 2026.
PEERS = [
    ("Eastfield", datetime.date(2026, 3, 9), 8, 7, +0.3),
    ("Westmoor", datetime.date(2026, 3, 23), 7, 8, -0.4),
    ("Southbay", datetime.date(2026, 4, 13), 8, 7, +0.1),
    ("Highcliffe", datetime.date(2026, 4, 27), 9, 6, +0.6),
    ("Ashford Vale", datetime.date(2026, 5, 11), 7, 8, -0.2),
    # Four third sector respondents: its report, so the benchmark, shows no gap for it.
    ("Millbrook", datetime.date(2026, 5, 18), 4, 11, 0.0),
]
PEER_SECTORS = [Sector.LOCAL_AUTHORITY, Sector.HEALTH, Sector.POLICE_FIRE_JUSTICE, Sector.BUSINESS]

FIRST = (
    "Amira Ben Carys Dev Eilidh Femi Grace Hamza Ifeoma Jonah Kiran Leah Marek Nadia Owen Priya "
)
FIRST += "Rhys Sana Tomasz Uma Victor Wen Yusuf Zara Alys Bilal Chloe Dafydd Esme Farid"
LAST = "Okafor Hughes Patel Murray Nowak Ahmed Jones Clarke Evans Begum Reid Walsh Khan Price "
LAST += "Morgan Singh Doyle Bell Iqbal Shaw"

MEMBERS = [  # sector, how many, organisations
    (
        Sector.THIRD_SECTOR,
        18,
        [
            "Northbridge CVS",
            "Age Concern Northbridge",
            "Riverside Youth Trust",
            "Northbridge Carers Centre",
            "Women's Aid Northbridge",
            "Eastfield Community Association",
            "Northbridge Mind",
        ],
    ),
    (Sector.LOCAL_AUTHORITY, 8, ["Northbridge Borough Council"]),
    (Sector.HEALTH, 6, ["Northbridge Primary Care Trust", "Northbridge Hospitals Trust"]),
    (
        Sector.POLICE_FIRE_JUSTICE,
        5,
        ["Northshire Police", "Northshire Fire and Rescue", "Probation Service"],
    ),
    (Sector.BUSINESS, 4, ["Northbridge Chamber of Commerce"]),
    (Sector.OTHER_PUBLIC, 4, ["Jobcentre Plus", "Northbridge College"]),
    (Sector.OTHER, 3, ["Resident representative"]),
]

# Mean score per principle number for the third sector and for everyone else, per round.
LEANINGS = {
    "autumn-2025": {
        "third": [3.0, 2.6, 3.1, 2.9, 3.3, 2.3, 3.0],
        "others": [3.6, 3.5, 3.4, 3.7, 3.8, 3.4, 3.5],
    },
    "spring-2026": {
        "third": [3.3, 2.8, 3.4, 3.3, 3.6, 2.4, 3.4],
        "others": [3.8, 3.7, 3.6, 3.9, 4.0, 3.5, 3.7],
    },
    "autumn-2026": {
        "third": [3.6, 3.1, 3.6, 3.7, 3.9, 2.7, 3.8],
        "others": [4.0, 3.8, 3.7, 4.1, 4.2, 3.6, 3.9],
    },
}

COMMENTS = {
    1: [
        "Reporting back happens, but only to the forum's steering group.",
        "We rarely hear what our representatives said at the board.",
        "The quarterly forum briefing is very useful.",
    ],
    2: [
        "Small groups find the meeting times impossible: they are all during the working day.",
        "The board treats the voluntary sector seats as equal: we vote on everything.",
        "Black and minority ethnic groups are still not heard enough.",
    ],
    3: [
        "Our representatives take a whole-area view, which is not easy.",
        "Statutory partners could do more to champion the sector.",
    ],
    4: [
        "Papers often arrive two days before the meeting.",
        "The election of representatives was open and well publicised.",
    ],
    5: ["The Sustainable Community Strategy is clear about what we are trying to achieve."],
    6: [
        "Representatives are unpaid and their expenses are not met.",
        "The CVS's funding for supporting the forum ends next March.",
        "There is no plan for who takes over when current representatives stand down.",
    ],
    7: ["The partnership values our local knowledge, especially on neighbourhood renewal."],
}


# When the demo's spring 2026 actions moved on from "Planned".
STATUS_CHANGED_ON = {
    Action.Status.IN_PROGRESS: datetime.date(2026, 5, 12),
    Action.Status.DONE: datetime.date(2026, 7, 14),
}


def score_for(rng: random.Random, mean: float) -> int | None:
    if rng.random() < 0.07:
        return None  # Don't know
    return max(1, min(5, round(rng.gauss(mean, 0.9))))


class Command(BaseCommand):
    help = "Create the demo partnership, coordinator, members and rounds (once)."

    def handle(self, *args, **options) -> None:
        call_command("load_principles", verbosity=0)
        if Partnership.objects.filter(slug=SLUG).exists():
            self.stdout.write(
                f"Demo: sign in at /accounts/login/ as {COORDINATOR!r} or {NETWORK_STAFF!r} with "
                "the password printed on first run (reset it with "
                f"`.venv/bin/python manage.py changepassword {COORDINATOR}`)."
            )
            return
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        with transaction.atomic():
            self.create(password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo: sign in at /accounts/login/ as {COORDINATOR!r} (Northbridge's "
                f"coordinator) or {NETWORK_STAFF!r} (the network's staff) with password "
                f"{password!r} (shown this once)."
            )
        )

    def create(self, password: str) -> None:
        rng = random.Random(2008)  # the year of the framework: the same demo every time
        User = get_user_model()
        user = User.objects.filter(username=COORDINATOR).first() or User.objects.create_user(
            COORDINATOR,
            "coordinator@northbridge.example.org",
            password,
            first_name="Jo",
            last_name="Coordinator",
        )
        partnership = Partnership.objects.create(
            name="Northbridge Local Strategic Partnership", slug=SLUG, area="Northbridge"
        )
        partnership.coordinators.add(user)
        members = self.create_members(partnership, rng)
        today = timezone.localdate()
        plan = [
            ("autumn-2025", "Autumn 2025 assessment", datetime.date(2025, 10, 6), 30, True),
            ("spring-2026", "Spring 2026 assessment", datetime.date(2026, 3, 2), 40, True),
            (
                "autumn-2026",
                "Autumn 2026 assessment",
                today - datetime.timedelta(days=10),
                9,
                False,
            ),
        ]
        for key, title, opens_on, responding, close in plan:
            chosen = rng.sample(members, responding)
            self.run_round(partnership, title, opens_on, chosen, LEANINGS[key], rng, close=close)
        spring = Round.objects.get(partnership=partnership, title__startswith="Spring")
        self.create_actions(spring)
        self.create_network(partnership, spring, password, rng)

    def run_round(self, partnership, title, opens_on, chosen, leaning, rng, *, close) -> Round:
        """A round answered by `chosen` through the services (so its snapshots are taken as in
        real use), then closed and given its real dates if `close`; else left open, with two
        of them still in progress."""
        today = timezone.localdate()
        closes_on = opens_on + datetime.timedelta(days=28)
        # Answered while open (services refuse answers after the closing date), then given
        # its real dates below.
        round_ = Round.objects.create(
            partnership=partnership,
            title=title,
            opens_on=min(opens_on, today),
            closes_on=max(closes_on, today),
        )
        # The trail names the coordinator (peers have none in the demo: the system) and is
        # dated as the round was: opened on its first day and closed on its last.
        actor = partnership.coordinators.first()
        opened = audit.LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        round_ = services.round_open(round=round_, actor=actor)
        audit.LogEntry.objects.filter(pk__gt=opened).update(timestamp=self.at(opens_on))
        self.answer(round_, chosen, leaning, rng, drafts=0 if close else 2)
        if close:
            closed = audit.LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
            round_ = services.round_close(round=round_, actor=actor)
            audit.LogEntry.objects.filter(pk__gt=closed).update(timestamp=self.at(closes_on))
            Round.objects.filter(pk=round_.pk).update(
                opens_on=opens_on,
                closes_on=closes_on,
                opened_at=self.at(opens_on),
                closed_at=self.at(closes_on),
            )
            Response.objects.filter(round=round_).update(
                submitted_at=self.at(opens_on + datetime.timedelta(days=9)),
                created_at=self.at(opens_on + datetime.timedelta(days=9)),
            )
            Publication.objects.filter(round=round_).update(taken_on=closes_on)
        return round_

    def create_network(self, northbridge: Partnership, spring: Round, password: str, rng) -> None:
        """The Northshire network: its staff, Northbridge (sharing its spring 2026 round) and
        six other partnerships, each with one closed round shared with it. Joining and sharing
        go through the networks app's services, as a coordinator's would."""
        User = get_user_model()
        staff = User.objects.filter(username=NETWORK_STAFF).first() or User.objects.create_user(
            NETWORK_STAFF,
            "officer@northshire-va.example.org",
            password,
            first_name="Sam",
            last_name="Network",
        )
        network = Network.objects.create(name=NETWORK, slug="northshire")
        network.staff.add(staff)
        coordinator = northbridge.coordinators.get()
        network_services.network_join(partnership=northbridge, network=network, user=coordinator)
        network_services.round_share(round=spring, user=coordinator)
        base = LEANINGS["spring-2026"]
        for name, opens_on, third, others, lean in PEERS:
            partnership = Partnership.objects.create(
                name=f"{name} Local Strategic Partnership", slug=slugify(name), area=name
            )
            members = self.create_peer_members(partnership, third, others)
            leaning = {side: [mean + lean for mean in base[side]] for side in base}
            round_ = self.run_round(
                partnership, "Spring 2026 assessment", opens_on, members, leaning, rng, close=True
            )
            network_services.network_join(partnership=partnership, network=network, user=None)
            network_services.round_share(round=round_, user=None)

    def create_peer_members(self, partnership: Partnership, third: int, others: int):
        firsts, lasts = FIRST.split(), LAST.split()
        sectors = [Sector.THIRD_SECTOR] * third
        sectors += [PEER_SECTORS[i % len(PEER_SECTORS)] for i in range(others)]
        return Member.objects.bulk_create(
            Member(
                partnership=partnership,
                name=f"{firsts[(n * 3) % len(firsts)]} {lasts[(n * 5) % len(lasts)]}",
                email=f"member{n}@{partnership.slug}.example.org",
                sector=sector,
            )
            for n, sector in enumerate(sectors)
        )

    def create_members(self, partnership: Partnership, rng: random.Random) -> list[Member]:
        firsts, lasts = FIRST.split(), LAST.split()
        members, n = [], 0
        for sector, count, organisations in MEMBERS:
            for i in range(count):
                first, last = firsts[n % len(firsts)], lasts[(n * 7) % len(lasts)]
                n += 1
                members.append(
                    Member(
                        partnership=partnership,
                        name=f"{first} {last}",
                        email=f"{first}.{last}.{n}@example.org".lower(),
                        organisation=organisations[i % len(organisations)],
                        sector=sector,
                        role=rng.choice(list(Member.Role)),
                    )
                )
        return Member.objects.bulk_create(members)

    def answer(self, round_: Round, chosen, leaning, rng, *, drafts: int) -> None:
        principles = list(round_.principles.prefetch_related("questions"))
        responding = len(chosen)
        unused = {number: list(texts) for number, texts in COMMENTS.items()}
        for index, member in enumerate(chosen):
            invitation = round_.invitations.get(member=member)
            response = services.response_start(invitation=invitation, sector=member.sector)
            side = "third" if member.sector == Sector.THIRD_SECTOR else "others"
            for principle in principles:
                mean = leaning[side][principle.number - 1]
                comment = ""
                # Each comment at most once a round: real people do not all write the same.
                if unused[principle.number] and rng.random() < 0.2:
                    comment = unused[principle.number].pop(0)
                services.response_save_principle(
                    response=response,
                    principle=principle,
                    scores={q.pk: score_for(rng, mean) for q in principle.questions.all()},
                    comment=comment,
                )
            # In the open round a few people have started but not yet submitted.
            if index >= responding - drafts:
                continue
            services.response_submit(response=response)

    def create_actions(self, round_: Round) -> None:
        """Spring 2026's meeting: its actions (one done, one in progress, one overdue, all
        carried into autumn 2026's plan while open) and what it agreed about two principles."""
        principles = {p.number: p for p in round_.principles.all()}
        coordinator = get_user_model().objects.get(username=COORDINATOR)
        for principle, owner, description, due_on, status in [
            (
                6,
                "LSP support team",
                "Agree a budget for third sector representatives' expenses.",
                datetime.date(2026, 7, 31),
                Action.Status.DONE,
            ),
            (
                2,
                "Forum steering group",
                "Hold two board meetings a year in the early evening.",
                datetime.date(2026, 9, 30),
                Action.Status.IN_PROGRESS,
            ),
            (
                4,
                "Partnership manager",
                "Send board papers ten working days before each meeting.",
                datetime.date(2026, 6, 30),
                Action.Status.PLANNED,
            ),
        ]:
            # Agreed at the meeting after the round closed, then moved on: its history says
            # when, and who (simple_history reads these two attributes when it records a save).
            action = Action(
                round=round_,
                principle=principles[principle],
                owner=owner,
                description=description,
                due_on=due_on,
            )
            action._history_user = coordinator
            action._history_date = self.at(round_.closes_on + datetime.timedelta(days=14))
            action.save()
            if status != Action.Status.PLANNED:
                changed_on = STATUS_CHANGED_ON[status]
                action.status = status
                action.closed_on = changed_on if status == Action.Status.DONE else None
                action._history_date = self.at(changed_on)
                action.save()
        PrincipleReview.objects.create(
            round=round_,
            principle=principles[6],
            agreed_score=2,
            updated_by=coordinator,
            learned=(
                "Representatives cannot keep going unpaid: the forum's support ends next March "
                "and no one has planned for who takes over."
            ),
        )
        PrincipleReview.objects.create(
            round=round_,
            principle=principles[5],
            agreed_score=4,
            updated_by=coordinator,
            learned="Everyone can say what the partnership is for; the strategy is clear.",
        )

    @staticmethod
    def at(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
