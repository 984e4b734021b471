"""Orgs created before the introduction email existed get its default templates (the same
installer as 0002, which is idempotent)."""

from importlib import import_module

from django.db import migrations

install = import_module("careerrelay.outreach.migrations.0002_default_templates").install


class Migration(migrations.Migration):
    dependencies = [("outreach", "0002_default_templates")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
