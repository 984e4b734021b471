"""Erasure requests from the ATS now live in consent (consent.ErasureRequest), where the erasure
job carries them out. Recorded requests move there as pending requests for the person their
external id names; a request naming nobody we hold had nothing to erase and is dropped."""

from django.db import migrations


def move_requests(apps, schema_editor):
    Old = apps.get_model("integrations", "ErasureRequest")
    New = apps.get_model("consent", "ErasureRequest")
    ExternalId = apps.get_model("candidates", "ExternalId")
    Candidate = apps.get_model("candidates", "Candidate")
    for old in Old.objects.order_by("requested_at"):
        link = ExternalId.objects.filter(org_id=old.org_id, system=old.provider, value=old.external_candidate_id).first()
        candidate_id = link.candidate_id if link else None
        if candidate_id is None and old.candidate_id_hint:
            candidate_id = Candidate.objects.filter(org_id=old.org_id, pk=old.candidate_id_hint).values_list(
                "pk", flat=True
            ).first()
        if candidate_id is None or New.objects.filter(candidate_id=candidate_id, status="pending").exists():
            continue
        New.objects.create(
            org_id=old.org_id,
            candidate_id=candidate_id,
            channel="ats_webhook",
            requested_by=f"{old.provider} webhook ({old.event})",
            requested_at=old.requested_at,
            created_at=old.created_at,
            updated_at=old.updated_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_initial"),
        ("consent", "0003_erasurerequest"),
        ("candidates", "0004_candidate_erased_at_candidate_language"),
    ]

    operations = [
        migrations.RunPython(move_requests, migrations.RunPython.noop),
        migrations.DeleteModel(name="ErasureRequest"),
    ]
