"""Every route of the URLconf with how to call it in the seeded world (see ``conftest.build_world``).

``ROUTES[name] = (method, kwargs[, query])`` where ``kwargs(w)`` builds the URL arguments and ``query(w)``
the query string from the world.
"""

from __future__ import annotations

ROUTES = {
    # core
    "start": ("get", lambda w: {}),
    "healthz": ("get", lambda w: {}),
    "accessibility": ("get", lambda w: {}),
    "switch_organisation": ("post", lambda w: {}),
    "notifications": ("get", lambda w: {}),
    "notification_open": ("post", lambda w: {"uuid": w["notification"].uuid}),
    "members": ("get", lambda w: {}),
    "member_invite": ("post", lambda w: {}),
    "member_remove": ("get", lambda w: {"uuid": w["alice"].uuid}),
    "audit_log": ("get", lambda w: {}),
    "invitation_accept": ("get", lambda w: {"token": w["token"]}),
    "set_language": ("post", lambda w: {}),
    "admin_login": ("get", lambda w: {}),
    # supplier registry
    "suppliers:search": ("get", lambda w: {}),
    "suppliers:add": ("get", lambda w: {}),
    # contract entry
    "contracts:create": ("get", lambda w: {}),
    "contracts:contact_persons": ("get", lambda w: {}, lambda w: {"organisation": w["arnhem"].uuid}),
    "contracts:detail": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "contracts:edit": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "contracts:delete": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "contracts:attachments": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "contracts:attachment_download": (
        "get", lambda w: {"uuid": w["contract"].uuid, "attachment_uuid": w["attachment"].uuid}),
    "contracts:attachment_remove": (
        "post", lambda w: {"uuid": w["contract"].uuid, "attachment_uuid": w["attachment"].uuid}),
    "contracts:hand_over": ("post", lambda w: {"uuid": w["contract"].uuid}),
    "contracts:handed_over": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "contracts:import_start": ("get", lambda w: {}),
    "contracts:import_template": ("get", lambda w: {"fmt": "csv"}),
    "contracts:import_batch": ("get", lambda w: {"uuid": w["import_batch"].uuid}),
    "contracts:import_progress": ("get", lambda w: {"uuid": w["import_batch"].uuid}),
    "contracts:import_undo": ("post", lambda w: {"uuid": w["import_batch"].uuid}),
    # buyer monitoring
    "monitoring:individual": ("get", lambda w: {}),
    "monitoring:consolidated": ("get", lambda w: {}),
    "monitoring:annual_report": ("get", lambda w: {}, lambda w: {"jaar": "2026"}),
    "monitoring:annual_report_pdf": ("get", lambda w: {}, lambda w: {"jaar": "2026"}),
    "monitoring:benchmarks": ("get", lambda w: {}),
    "monitoring:benchmark_participation": ("post", lambda w: {}),
    "monitoring:supplier_options": ("get", lambda w: {}),
    "monitoring:contract": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:export_individual": ("get", lambda w: {"fmt": "csv"}),
    "monitoring:export_consolidated": ("get", lambda w: {"fmt": "xlsx"}),
    "monitoring:export_realisations": ("get", lambda w: {"fmt": "csv"}),
    # coordinator workspace
    "monitoring:work_queue": ("get", lambda w: {}),
    "monitoring:workspace": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:accept": ("post", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:assign": ("post", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:rhythm": ("post", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:record_agreements": ("post", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:start_execution": ("post", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:close": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:agreement_create": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:agreement_preview": ("post", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:agreement_update": ("get", lambda w: {"uuid": w["contract"].uuid, "agreement_uuid": w["agreement"].uuid}),
    "monitoring:agreement_delete": ("post", lambda w: {"uuid": w["contract"].uuid, "agreement_uuid": w["agreement"].uuid}),
    "monitoring:realisation_create": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:realisation_preview": ("post", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:realisation": ("get", lambda w: {"uuid": w["contract"].uuid, "realisation_uuid": w["realisation"].uuid}),
    "monitoring:realisation_update": (
        "get", lambda w: {"uuid": w["contract"].uuid, "realisation_uuid": w["realisation"].uuid}),
    "monitoring:realisation_approve": (
        "post", lambda w: {"uuid": w["contract"].uuid, "realisation_uuid": w["realisation"].uuid}),
    "monitoring:realisation_reject": (
        "post", lambda w: {"uuid": w["contract"].uuid, "realisation_uuid": w["realisation"].uuid}),
    "monitoring:evidence": ("get", lambda w: {"uuid": w["contract"].uuid, "evidence_uuid": w["evidence"].uuid}),
    "monitoring:evidence_delete": ("post", lambda w: {"uuid": w["contract"].uuid, "evidence_uuid": w["evidence"].uuid}),
    "monitoring:lasting_outcomes": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:lasting_outcome_record": (
        "get", lambda w: {"uuid": w["contract"].uuid, "realisation_uuid": w["realisation"].uuid, "months": 6}),
    "monitoring:pso_certificates": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "monitoring:pso_certificate": (
        "get", lambda w: {"uuid": w["contract"].uuid, "certificate_uuid": w["pso_certificate"].uuid}),
    "monitoring:pso_certificate_check": (
        "post", lambda w: {"uuid": w["contract"].uuid, "certificate_uuid": w["pso_certificate"].uuid}),
    # knowledge base and help requests
    "knowledgebase:index": ("get", lambda w: {}),
    "knowledgebase:category": ("get", lambda w: {"slug": w["category"].slug}),
    "knowledgebase:article": ("get", lambda w: {"slug": w["article"].slug}),
    "knowledgebase:article_feedback": ("post", lambda w: {"slug": w["article"].slug}),
    "knowledgebase:help_request_list": ("get", lambda w: {}),
    "knowledgebase:help_request_create": ("get", lambda w: {}),
    "knowledgebase:contract_options": ("get", lambda w: {}, lambda w: {"q": w["contract"].contract_number}),
    "knowledgebase:change_request_create": ("get", lambda w: {"contract_uuid": w["contract"].uuid}),
    "knowledgebase:help_request_queue": ("get", lambda w: {}),
    "knowledgebase:help_request_detail": ("get", lambda w: {"uuid": w["help_request"].uuid}),
    "knowledgebase:help_request_reply": ("post", lambda w: {"uuid": w["help_request"].uuid}),
    "knowledgebase:help_request_status": ("post", lambda w: {"uuid": w["help_request"].uuid}),
    "knowledgebase:change_request_apply": ("get", lambda w: {"uuid": w["help_request"].uuid}),
    "knowledgebase:help_request_attachment": (
        "get", lambda w: {"uuid": w["help_request"].uuid, "attachment_uuid": w["help_attachment"].uuid}),
    # supplier portal
    "portal:home": ("get", lambda w: {}),
    "portal:todo": ("get", lambda w: {}),
    "portal:contract": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "portal:period": ("get", lambda w: {"uuid": w["contract"].uuid, "period_uuid": w["period"].uuid}),
    "portal:period_submit": ("post", lambda w: {"uuid": w["contract"].uuid, "period_uuid": w["period"].uuid}),
    "portal:realisation_create": ("get", lambda w: {"uuid": w["contract"].uuid, "period_uuid": w["period"].uuid}),
    "portal:realisation_preview": ("post", lambda w: {"uuid": w["contract"].uuid}),
    "portal:realisation": ("get", lambda w: {"uuid": w["contract"].uuid, "realisation_uuid": w["realisation"].uuid}),
    "portal:lasting_outcome": ("get", lambda w: {"uuid": w["contract"].uuid, "outcome_uuid": w["lasting_outcome"].uuid}),
    "portal:realisation_update": (
        "get", lambda w: {"uuid": w["contract"].uuid, "realisation_uuid": w["realisation"].uuid}),
    "portal:evidence": ("get", lambda w: {"uuid": w["contract"].uuid, "evidence_uuid": w["evidence"].uuid}),
    "portal:evidence_delete": ("post", lambda w: {"uuid": w["contract"].uuid, "evidence_uuid": w["evidence"].uuid}),
    "portal:social_company_search": ("get", lambda w: {}),
    "portal:overdue": ("get", lambda w: {}),
    "portal:invite": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "portal:access_revoke": ("post", lambda w: {"uuid": w["contract"].uuid, "access_uuid": w["access"].uuid}),
    "portal:settlement": ("get", lambda w: {"uuid": w["contract"].uuid}),
    # read-only API (a bearer key, never a session: every persona gets 401) and its key page
    "api:keys": ("get", lambda w: {}),
    "api:key_revoke": ("post", lambda w: {"uuid": _api_token(w).uuid}),
    "api:openapi": ("get", lambda w: {}),
    "api:contracts": ("get", lambda w: {}),
    "api:contract": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "api:agreements": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "api:realised": ("get", lambda w: {"uuid": w["contract"].uuid}),
    "api:annual_figures": ("get", lambda w: {}),
}


def _api_token(w):
    """Arnhem's API key, made on first use (the world is shared with suites that know no keys)."""
    from api.models import ApiToken

    token = ApiToken.objects.filter(organisation=w["arnhem"]).first()
    return token or ApiToken.issue(organisation=w["arnhem"], name="BI", by=w["erin"])[0]
