from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    """Catalogue versions get a draft/published status; every existing version is published."""

    dependencies = [
        ("monitoring", "0006_evidence_scan_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="catalogueversion",
            name="status",
            field=models.CharField(
                choices=[("draft", "concept"), ("published", "gepubliceerd")],
                default="published",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="catalogueversion",
            name="valid_from",
            field=models.DateField(
                blank=True, help_text="Wordt vastgesteld bij het publiceren.", null=True, verbose_name="geldig vanaf"
            ),
        ),
        migrations.RemoveConstraint(model_name="catalogueversion", name="catalogueversion_unique_valid_from"),
        migrations.AddConstraint(
            model_name="catalogueversion",
            constraint=models.UniqueConstraint(
                condition=Q(status="published"),
                fields=("catalogue", "valid_from"),
                name="catalogueversion_unique_valid_from",
            ),
        ),
        migrations.AddConstraint(
            model_name="catalogueversion",
            constraint=models.CheckConstraint(
                condition=Q(status="draft") | Q(valid_from__isnull=False),
                name="catalogueversion_published_has_valid_from",
            ),
        ),
    ]
