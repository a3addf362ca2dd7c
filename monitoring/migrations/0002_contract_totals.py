"""Totals per contract and per contract and building block, kept by PostgreSQL triggers on agreements
and realisations (see ``monitoring.models.ContractTotal``). The tables are made by 0001_initial; their
foreign keys are declared here, with ON DELETE CASCADE."""

from django.db import migrations

# The totals are kept by triggers: whatever writes agreements or realisations (services, the admin,
# a bulk update, a data migration), the sums stay right. Deltas are applied with an upsert, so
# concurrent writers serialise on the one totals row of their contract.
TOTALS_SQL = """
ALTER TABLE monitoring_contracttotal
    ADD CONSTRAINT monitoring_contracttotal_contract_fk
    FOREIGN KEY (contract_id) REFERENCES contracts_contract (id) ON DELETE CASCADE;
ALTER TABLE monitoring_contractblocktotal
    ADD CONSTRAINT monitoring_contractblocktotal_contract_fk
    FOREIGN KEY (contract_id) REFERENCES contracts_contract (id) ON DELETE CASCADE,
    ADD CONSTRAINT monitoring_contractblocktotal_block_fk
    FOREIGN KEY (block_id) REFERENCES catalogue_buildingblock (id) ON DELETE CASCADE;

CREATE FUNCTION monitoring_totals_add(p_contract bigint, p_block bigint,
                                      d_planned numeric, d_approved numeric, d_submitted numeric)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF d_planned = 0 AND d_approved = 0 AND d_submitted = 0 THEN
        RETURN;
    END IF;
    -- A realisation deleted together with its contract: the contract's totals go with it.
    IF NOT EXISTS (SELECT 1 FROM contracts_contract WHERE id = p_contract) THEN
        RETURN;
    END IF;
    INSERT INTO monitoring_contracttotal AS t (contract_id, planned, approved, submitted)
    VALUES (p_contract, d_planned, d_approved, d_submitted)
    ON CONFLICT (contract_id) DO UPDATE
        SET planned = t.planned + EXCLUDED.planned,
            approved = t.approved + EXCLUDED.approved,
            submitted = t.submitted + EXCLUDED.submitted;
    INSERT INTO monitoring_contractblocktotal AS t (contract_id, block_id, planned, approved, submitted)
    VALUES (p_contract, p_block, d_planned, d_approved, d_submitted)
    ON CONFLICT (contract_id, block_id) DO UPDATE
        SET planned = t.planned + EXCLUDED.planned,
            approved = t.approved + EXCLUDED.approved,
            submitted = t.submitted + EXCLUDED.submitted;
END $$;

CREATE FUNCTION monitoring_realisation_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM monitoring_totals_add(OLD.contract_id, OLD.block_id, 0,
            CASE WHEN OLD.status = 'approved' THEN -OLD.value ELSE 0 END,
            CASE WHEN OLD.status = 'submitted' THEN -OLD.value ELSE 0 END);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM monitoring_totals_add(NEW.contract_id, NEW.block_id, 0,
            CASE WHEN NEW.status = 'approved' THEN NEW.value ELSE 0 END,
            CASE WHEN NEW.status = 'submitted' THEN NEW.value ELSE 0 END);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION monitoring_agreement_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM monitoring_totals_add(OLD.contract_id, OLD.block_id, -OLD.planned_value, 0, 0);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM monitoring_totals_add(NEW.contract_id, NEW.block_id, NEW.planned_value, 0, 0);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER monitoring_realisation_totals
    AFTER INSERT OR DELETE OR UPDATE OF contract_id, block_id, value, status ON monitoring_realisation
    FOR EACH ROW EXECUTE FUNCTION monitoring_realisation_totals();
CREATE TRIGGER monitoring_agreement_totals
    AFTER INSERT OR DELETE OR UPDATE OF contract_id, block_id, planned_value ON monitoring_agreement
    FOR EACH ROW EXECUTE FUNCTION monitoring_agreement_totals();

-- What is there already.
INSERT INTO monitoring_contractblocktotal (contract_id, block_id, planned, approved, submitted)
SELECT contract_id, block_id, SUM(planned), SUM(approved), SUM(submitted)
FROM (
    SELECT contract_id, block_id, planned_value AS planned, 0 AS approved, 0 AS submitted FROM monitoring_agreement
    UNION ALL
    SELECT contract_id, block_id, 0,
           CASE WHEN status = 'approved' THEN value ELSE 0 END,
           CASE WHEN status = 'submitted' THEN value ELSE 0 END
    FROM monitoring_realisation
) x
GROUP BY contract_id, block_id;
INSERT INTO monitoring_contracttotal (contract_id, planned, approved, submitted)
SELECT contract_id, SUM(planned), SUM(approved), SUM(submitted)
FROM monitoring_contractblocktotal GROUP BY contract_id;
"""

DROP_TOTALS_SQL = """
DROP TRIGGER IF EXISTS monitoring_realisation_totals ON monitoring_realisation;
DROP TRIGGER IF EXISTS monitoring_agreement_totals ON monitoring_agreement;
DROP FUNCTION IF EXISTS monitoring_realisation_totals();
DROP FUNCTION IF EXISTS monitoring_agreement_totals();
DROP FUNCTION IF EXISTS monitoring_totals_add(bigint, bigint, numeric, numeric, numeric);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("contracts", "0001_initial"),
        ("monitoring", "0001_initial"),
    ]

    operations = [migrations.RunSQL(TOTALS_SQL, DROP_TOTALS_SQL)]
