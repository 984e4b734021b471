from django.db import migrations, models


def create_gin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX matchprofile_implied_gin ON matching_matchprofile "
            "USING gin (implied jsonb_path_ops) WHERE eligible"
        )


def drop_gin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS matchprofile_implied_gin")


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [
        migrations.AddField(model_name="matchprofile", name="implied", field=models.JSONField(default=list)),
        # Required skills are looked up by containment (implied @> '["python", "django"]') on
        # PostgreSQL; SQLite has no GIN and uses the MatchTerm index instead.
        migrations.RunPython(create_gin, drop_gin),
    ]
