"""Orgs created before the consent app get the default policy texts as version 1."""

from django.db import migrations


def install(apps, schema_editor):
    from careerrelay.consent import defaults

    Organization = apps.get_model("orgs", "Organization")
    PolicyVersion = apps.get_model("consent", "PolicyVersion")
    for org in Organization.objects.all():
        if not PolicyVersion.objects.filter(org=org).exists():
            PolicyVersion.objects.create(
                org=org, number=1, notice=defaults.NOTICE, statements=defaults.STATEMENTS, published_by="system"
            )


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial"), ("orgs", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
