"""Postings for the profiles published before the network's inverted index existed, built from
their shown fields by the same function the sharing services use."""

from typing import Any

from django.db import migrations

BATCH = 2000


def build(apps: Any, schema_editor: Any) -> None:
    from careerrelay.core import clock
    from careerrelay.relay.postings import SHOWN, postings_of, shown_record

    profiles = apps.get_model("relay", "SharedProfile")
    terms = apps.get_model("relay", "SharedProfileTerm")
    now = clock.now()
    published = profiles.objects.filter(status="published").order_by("pk")
    batch = []
    for pk, org_id, network_id, *shown in published.values_list("pk", "org_id", "network_id", *SHOWN).iterator():
        for term, place, prior in postings_of(shown_record(shown), now=now):
            batch.append(
                terms(org_id=org_id, network_id=network_id, profile_id=pk, term=term, place=place, prior=prior)
            )
        if len(batch) >= BATCH:
            terms.objects.bulk_create(batch)
            batch = []
    terms.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("relay", "0003_shared_profile_terms")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
