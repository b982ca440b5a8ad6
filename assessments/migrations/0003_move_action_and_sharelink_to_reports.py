"""Action and ShareLink now belong to the reports app (reports 0001 takes them over).

State only: the tables, their rows and their names stay exactly as they are.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_member_email_unique_ignoring_case")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Action"),
                migrations.DeleteModel(name="ShareLink"),
            ],
            database_operations=[],
        )
    ]
