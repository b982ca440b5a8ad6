"""perf's `benchmark_network` runs (small here), counts the benchmark's queries, and leaves the
database as it was."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import Partnership
from perf.management.commands.benchmark_network import Command
from tests.networks.test_benchmark import BENCHMARK_QUERIES

pytestmark = pytest.mark.django_db


def test_it_measures_the_benchmark_and_rolls_back(principles):
    out = StringIO()
    call_command(Command(), partnerships=8, responses=160, stdout=out)
    text = out.getvalue()
    assert "Network of 8 partnerships" in text and "counts 7 other partnerships" in text
    line = re.search(r"benchmark \(benchmark_for_round\)\s+\d+ms\s+\d+ms\s+(\d+)", text)
    assert int(line.group(1)) == BENCHMARK_QUERIES
    assert not Partnership.objects.exists()
