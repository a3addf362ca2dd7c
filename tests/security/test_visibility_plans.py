"""The visibility filters that join several sets of organisations with OR reach the rows through
their indexes: ``IN (subquery)`` inside an OR made PostgreSQL read the whole contracts table on
every list, count and figure (7 ms at 20,000 contracts, growing with every contract in the country).

Sequential scans are switched off for the statement, so the plan shows one only where no index
can serve the filter at all; the tables here are small enough that the planner would otherwise
read them whole whatever the filter."""

import pytest
from django.db import connection

from contracts.models import Contract
from knowledgebase.models import HelpRequest
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_the_contracts_a_person_sees_come_through_the_organisation_index(who, request, arnhem, utrecht):
    contract = ContractFactory(organisation=arnhem, handed_over=True)
    # Another region's contracts, counted by the planner: reading the table whole would clearly cost more
    # than looking the visible ones up, so the plan shows whether the filter can use an index at all.
    ContractFactory.create_batch(150, organisation=utrecht, handed_over=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contracts_contract")
    user = request.getfixturevalue(who)
    plan = _plan(Contract.objects.visible_to(user).order_by().values("pk"))
    assert "Seq Scan on contracts_contract" not in plan, plan
    # Through whichever index leads with the organisation (the planner picks among them by statistics).
    assert "Index Cond: (organisation_id = ANY" in plan, plan
    assert set(Contract.objects.visible_to(user)) == {contract}


def test_the_help_requests_a_coordinator_sees_come_through_indexes(carol, alice):
    plan = _plan(HelpRequest.objects.visible_to(carol).values("pk"))
    assert "Seq Scan on knowledgebase_helprequest" not in plan, plan
