"""Shares made with a therapist before ``Share.purpose`` existed are marked as such."""

from django.db import migrations


def mark_therapist_shares(apps, schema_editor):
    Share = apps.get_model("relationships", "Share")
    ClientRecord = apps.get_model("clinic", "ClientRecord")
    for person_id, therapist_id in ClientRecord.objects.values_list("person_id", "owner_id"):
        Share.objects.filter(owner_id=person_id, audience_id=therapist_id).update(
            purpose="therapist"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0002_caseload_cells"),
        ("relationships", "0002_share_purpose"),
    ]

    operations = [migrations.RunPython(mark_therapist_shares, migrations.RunPython.noop)]
