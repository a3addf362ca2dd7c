"""The settlement moves to monitoring, the one place of a contract's outcome: each row is copied as
it is (replacing the row monitoring made from the follow-up's outcome), then the portal's table goes."""

from django.db import migrations

FIELDS = (
    "uuid", "organisation_id", "state", "obligation", "outcome", "approved", "shortfall", "reason", "recovery_deadline",
    "final_outcome", "final_approved", "final_shortfall", "withholding_amount", "withholding_reason",
    "recorded_by_id", "recorded_at", "settled_by_id", "settled_at",
)


def copy_settlements(apps, schema_editor):
    Old = apps.get_model("portal", "Settlement")
    New = apps.get_model("monitoring", "Settlement")
    for old in Old.objects.all():
        New.objects.update_or_create(
            contract_id=old.contract_id, defaults={name: getattr(old, name) for name in FIELDS}
        )


def copy_back(apps, schema_editor):
    Old = apps.get_model("portal", "Settlement")
    New = apps.get_model("monitoring", "Settlement")
    for new in New.objects.all():
        Old.objects.update_or_create(contract_id=new.contract_id, defaults={name: getattr(new, name) for name in FIELDS})


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0009_settlement'),
        ('portal', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(copy_settlements, copy_back),
        migrations.DeleteModel(
            name='Settlement',
        ),
    ]
