"""The table of Django's database cache (settings.CACHES without REDIS_URL): made here so that a
fresh `make run`, the test databases and PostgreSQL all have it without running
`createcachetable` by hand. It is made whatever CACHES says, so that unsetting REDIS_URL later
finds it there."""

from django.core.management import call_command
from django.db import migrations

TABLE = "lsp_cache"  # settings.CACHE_TABLE, as it was when this migration was written


def table_create(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def table_drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_actions_across_rounds")]

    operations = [migrations.RunPython(table_create, table_drop)]
