from django.db import migrations, models

# The tables whose rows the monitoring pages show (directly or in their header and filters).
TABLES = [
    "contracts_contract",
    "monitoring_contracttotal",
    "monitoring_contractblocktotal",
    "monitoring_contractfollowup",
    "monitoring_buildingblock",
    "portal_settlement",
    "suppliers_supplier",
    "wizzr_user",
    "wizzr_organisation",
    "wizzr_membership",
    "wizzr_notification",
]

# Raised at commit (a deferred constraint trigger), once per transaction: taken last, the counter's
# row lock cannot close a deadlock cycle with the rows a transaction locked before, and a reader
# sees the new number only together with the data it stands for. An upsert, so that a flushed test
# database starts again by itself.
BUMP = r"""
CREATE OR REPLACE FUNCTION monitoring_bump_page_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('monitoring.page_version_raised', true) IS NOT DISTINCT FROM pg_current_xact_id()::text THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('monitoring.page_version_raised', pg_current_xact_id()::text, true);
    INSERT INTO monitoring_pageversion (id, version) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET version = monitoring_pageversion.version + 1;
    RETURN NULL;
END
$$;
"""

# The bulk registry import (suppliers.bulk_load) raises the counter once itself, at its end
# (monitoring.signals), instead of queueing a trigger event per establishment.
_BULK = " WHEN (current_setting('suppliers.bulk_load', true) IS DISTINCT FROM 'on')"

TRIGGERS = "".join(
    f"""
CREATE CONSTRAINT TRIGGER monitoring_page_version AFTER INSERT OR UPDATE OR DELETE ON {table}
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW{_BULK if table == "suppliers_supplier" else ""}
EXECUTE FUNCTION monitoring_bump_page_version();
CREATE TRIGGER monitoring_page_version_truncate AFTER TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION monitoring_bump_page_version();
"""
    for table in TABLES
)

REVERSE = "".join(
    f"DROP TRIGGER IF EXISTS monitoring_page_version ON {table};\n"
    f"DROP TRIGGER IF EXISTS monitoring_page_version_truncate ON {table};\n"
    for table in TABLES
) + "DROP FUNCTION IF EXISTS monitoring_bump_page_version();\n"


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0004_contract_totals"),
        ("portal", "0001_initial"),
        ("suppliers", "0008_word_bits"),
        ("wizzr", "0003_dutch_verbose_names"),
        ("contracts", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PageVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "paginaversie", "verbose_name_plural": "paginaversies"},
        ),
        migrations.RunSQL("INSERT INTO monitoring_pageversion (id, version) VALUES (1, 0);", migrations.RunSQL.noop),
        migrations.RunSQL(BUMP + TRIGGERS, REVERSE),
    ]
