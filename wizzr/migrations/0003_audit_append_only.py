"""The audit log is append-only, also outside the application: a row trigger refuses UPDATE and DELETE.

The one update allowed is the one PostgreSQL receives when a person's account is deleted
(``actor`` is ON DELETE SET NULL): the link to the person is cleared and nothing else changes.
TRUNCATE (used by the test framework between transactional tests) fires no row trigger.
"""

from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION wizzr_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
       AND to_jsonb(NEW) - 'actor_id' = to_jsonb(OLD) - 'actor_id' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'wizzr_auditevent is append-only: % of event % refused', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER wizzr_auditevent_append_only
    BEFORE UPDATE OR DELETE ON wizzr_auditevent
    FOR EACH ROW EXECUTE FUNCTION wizzr_auditevent_append_only();
"""

DROP = """
DROP TRIGGER wizzr_auditevent_append_only ON wizzr_auditevent;
DROP FUNCTION wizzr_auditevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("wizzr", "0002_extensions")]

    operations = [migrations.RunSQL(APPEND_ONLY, reverse_sql=DROP)]
