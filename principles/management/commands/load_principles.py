"""Load fixtures/principles.json into the database without ever overwriting an admin's wording.

`loaddata` would overwrite rows an admin has reworded, so this command only adds what is
missing: principles by slug, statements by (principle, order), scale points by value and bands
by name. Running it again changes nothing.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from principles.models import Band, Principle, ScalePoint, Statement

DEFAULT_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "principles.json"


class Command(BaseCommand):
    help = "Add the framework's principles, statements, scale and bands where they are missing."

    def add_arguments(self, parser):
        parser.add_argument("--fixture", default=str(DEFAULT_FIXTURE))

    @transaction.atomic
    def handle(self, *args, fixture: str, **options) -> None:
        records = json.loads(Path(fixture).read_text(encoding="utf-8"))
        added = 0
        for record in records:
            fields = dict(record["fields"])
            match record["model"]:
                case "principles.principle":
                    _, created = Principle.objects.get_or_create(
                        slug=fields.pop("slug"), defaults=fields
                    )
                case "principles.statement":
                    principle = Principle.objects.get(slug=fields.pop("principle")[0])
                    _, created = Statement.objects.get_or_create(
                        principle=principle, order=fields.pop("order"), defaults=fields
                    )
                case "principles.scalepoint":
                    _, created = ScalePoint.objects.get_or_create(
                        value=fields.pop("value"), defaults=fields
                    )
                case "principles.band":
                    _, created = Band.objects.get_or_create(
                        name=fields.pop("name"), defaults=fields
                    )
                case other:
                    raise ValueError(f"Unexpected model {other} in {fixture}")
            added += created
        if options["verbosity"]:
            self.stdout.write(f"Principles loaded: {added} added, {len(records) - added} kept.")
