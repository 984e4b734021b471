"""Orgs created before the introduction email existed get its default templates."""

from django.db import migrations


def install(apps, schema_editor):
    from careerrelay.outreach.defaults import DEFAULTS

    Organization = apps.get_model("orgs", "Organization")
    MessageTemplate = apps.get_model("outreach", "MessageTemplate")
    for org in Organization.objects.all():
        for (kind, language), (subject, body) in DEFAULTS.items():
            MessageTemplate.objects.get_or_create(
                org=org,
                kind=str(kind),
                reason=None,
                language=language,
                defaults={"subject": subject, "body": body, "updated_by": "system"},
            )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0002_default_templates")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
