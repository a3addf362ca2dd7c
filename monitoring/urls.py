from django.urls import path

from monitoring import annual_views, benchmark_views, buyer_views, lasting_views, views
from monitoring.pso_views import certificates as pso_certificates
from monitoring.pso_views import check as pso_check
from monitoring.pso_views import download as pso_download

app_name = "monitoring"

contract = "opvolging/<uuid:uuid>/"

urlpatterns = [
    path("", buyer_views.individual, name="individual"),
    path("geconsolideerd/", buyer_views.consolidated, name="consolidated"),
    path("vergelijken/", benchmark_views.benchmarks_page, name="benchmarks"),
    path("vergelijken/deelname/", benchmark_views.participation, name="benchmark_participation"),
    path("jaarrapportage/", annual_views.annual_report, name="annual_report"),
    path("jaarrapportage/pdf/", annual_views.annual_report_pdf, name="annual_report_pdf"),
    path("uitvoerende-partijen/", buyer_views.supplier_options, name="supplier_options"),
    path("contracten/<uuid:uuid>/", buyer_views.contract_detail, name="contract"),
    path("export/individueel.<str:fmt>", buyer_views.export_individual, name="export_individual"),
    path("export/geconsolideerd.<str:fmt>", buyer_views.export_consolidated, name="export_consolidated"),
    path("export/realisaties.<str:fmt>", buyer_views.export_realisations, name="export_realisations"),
    path("werkvoorraad/", views.work_queue, name="work_queue"),
    path(contract, views.workspace, name="workspace"),
    path(contract + "accepteren/", views.accept, name="accept"),
    path(contract + "toewijzen/", views.assign, name="assign"),
    path(contract + "rapportageritme/", views.rhythm, name="rhythm"),
    path(contract + "afspraken-vastleggen/", views.record_agreements, name="record_agreements"),
    path(contract + "in-uitvoering/", views.start_execution, name="start_execution"),
    path(contract + "afronden/", views.close, name="close"),
    path(contract + "afspraken/nieuw/", views.agreement_create, name="agreement_create"),
    path(contract + "afspraken/waarde/", views.agreement_preview, name="agreement_preview"),
    path(contract + "afspraken/<uuid:agreement_uuid>/wijzigen/", views.agreement_update, name="agreement_update"),
    path(contract + "afspraken/<uuid:agreement_uuid>/verwijderen/", views.agreement_delete, name="agreement_delete"),
    path(contract + "realisaties/nieuw/", views.realisation_create, name="realisation_create"),
    path(contract + "realisaties/waarde/", views.realisation_preview, name="realisation_preview"),
    path(contract + "realisaties/<uuid:realisation_uuid>/", views.realisation_detail, name="realisation"),
    path(
        contract + "realisaties/<uuid:realisation_uuid>/wijzigen/", views.realisation_update, name="realisation_update"
    ),
    path(
        contract + "realisaties/<uuid:realisation_uuid>/goedkeuren/",
        views.realisation_approve,
        name="realisation_approve",
    ),
    path(
        contract + "realisaties/<uuid:realisation_uuid>/afwijzen/", views.realisation_reject, name="realisation_reject"
    ),
    path(contract + "blijvend-resultaat/", lasting_views.lasting_outcomes, name="lasting_outcomes"),
    path(
        contract + "realisaties/<uuid:realisation_uuid>/blijvend-resultaat/<int:months>/",
        lasting_views.lasting_outcome_record,
        name="lasting_outcome_record",
    ),
    path(contract + "bewijs/<uuid:evidence_uuid>/", views.evidence_download, name="evidence"),
    path(contract + "bewijs/<uuid:evidence_uuid>/verwijderen/", views.evidence_delete, name="evidence_delete"),
    path(contract + "pso-certificaten/", pso_certificates, name="pso_certificates"),
    path(contract + "pso-certificaten/<uuid:certificate_uuid>/controleren/", pso_check, name="pso_certificate_check"),
    path(contract + "pso-certificaten/<uuid:certificate_uuid>/", pso_download, name="pso_certificate"),
]
