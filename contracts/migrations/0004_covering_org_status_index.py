# The organisation-and-status index also holds the term and the id, so that the visibility filter,
# the status filter, a list's default order and its count read the index only.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0003_stored_obligation"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="contract",
            name="contract_org_status_idx",
        ),
        migrations.AddIndex(
            model_name="contract",
            index=models.Index(
                fields=["organisation", "status"],
                include=("start_date", "end_date", "id"),
                name="contract_org_status_idx",
            ),
        ),
    ]
