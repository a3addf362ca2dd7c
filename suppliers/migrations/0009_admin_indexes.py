from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0008_word_bits")]

    operations = [
        migrations.AddIndex(
            model_name="supplier",
            index=models.Index(fields=["postcode"], name="supplier_postcode_idx"),
        ),
        migrations.AddIndex(
            model_name="supplier",
            index=models.Index(fields=["branch_number"], name="supplier_branch_any_idx"),
        ),
        migrations.AddIndex(
            model_name="supplier",
            index=models.Index(
                condition=models.Q(("is_active", False)), fields=["name_key", "id"], name="supplier_inactive_name_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="supplier",
            index=models.Index(
                condition=models.Q(("source", "registry"), _negated=True),
                fields=["name_key", "id"],
                name="supplier_added_name_idx",
            ),
        ),
    ]
