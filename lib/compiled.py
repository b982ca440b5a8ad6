"""A query the ORM turns into SQL once per process, then runs with one new value each time.

For the hot path only: building the SQL of a query with joins costs the ORM far more than the
database takes to run it (the personal link's lookup: about 0.7 ms to compile five tables'
49 columns, against 0.05 ms to run). The query is still written with the ORM, so it follows
the models; what is kept is what Django's own model iterable works out for every queryset
(the SQL, its columns' converters and how to build the objects from a row), and each call runs
that SQL with its value and builds the objects the same way.
"""

from collections.abc import Callable

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# Stands in for the value while the SQL is built: found in the parameters, then replaced.
_PLACEHOLDER = "\ue001compiled-query-value\ue001"


class CompiledQuery:
    """`build(value)` returns a queryset of one model (select_related allowed, no annotations)
    that matches at most one row for a value; `.get(value)` returns that object or None.

    Compiled on first use for each database, and again if the database's settings change
    (a test run's database is made after import).
    """

    def __init__(self, build: Callable[[str], QuerySet]) -> None:
        self.build = build
        self._compiled: dict[tuple, tuple] = {}

    def _compile(self, alias: str) -> tuple:
        queryset = self.build(_PLACEHOLDER)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if list(params).count(_PLACEHOLDER) != 1 or compiler.annotation_col_map:
            raise ValueError("A compiled query takes its value once and has no annotations.")
        klass_info, select = compiler.klass_info, compiler.select
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        # What turns a column's value into the field's (SQLite's dates are text, say).
        converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
        return (
            sql,
            tuple(params),
            compiler,
            converters,
            klass_info["model"],
            (first, last),
            [column[0].target.attname for column in select[first:last]],
            get_related_populators(klass_info, select, alias),
        )

    def get(self, value: str, using: str = "default") -> Model | None:
        connection = connections[using]
        key = (using, connection.vendor, connection.settings_dict["NAME"])
        compiled = self._compiled.get(key)
        if compiled is None:  # two threads may both compile it: the same, and kept once
            compiled = self._compiled.setdefault(key, self._compile(using))
        sql, params, compiler, converters, model, (first, last), names, populators = compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, [value if p == _PLACEHOLDER else p for p in params])
            row = cursor.fetchone()
        if row is None:
            return None
        # As Django's ModelIterable does for each row of a queryset.
        if converters:
            row = next(compiler.apply_converters([row], converters))
        obj = model.from_db(using, names, row[first:last])
        for populator in populators:
            populator.populate(row, obj)
        return obj
