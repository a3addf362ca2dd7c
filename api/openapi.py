"""The OpenAPI 3.1 description of API v1 (served at /api/v1/openapi.json)."""

from __future__ import annotations

from catalogue.models import BuildingBlock
from contracts.models import Contract
from monitoring.annual import FIRST_YEAR
from monitoring.figures import Track

MONEY = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "description": "EUR excl. btw, twee decimalen"}
NULLABLE_MONEY = {"type": ["string", "null"], "pattern": r"^-?\d+\.\d{2}$"}
NULLABLE_DECIMAL = {"type": ["string", "null"], "pattern": r"^\d+(\.\d+)?$"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def page_schema(item: str) -> dict:
    return {
        "type": "object",
        "required": ["count", "next", "previous", "results"],
        "additionalProperties": False,
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
            "results": {"type": "array", "items": ref(item)},
        },
    }


def obj(properties: dict) -> dict:
    return {"type": "object", "required": list(properties), "additionalProperties": False, "properties": properties}


SCHEMAS = {
    "Error": obj({"detail": {"type": "string"}}),
    "Supplier": obj(
        {"name": {"type": "string"}, "kvk_number": {"type": "string"}, "branch_number": {"type": "string"}}
    ),
    "Contract": obj(
        {
            "uuid": {"type": "string", "format": "uuid"},
            "number": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "string", "enum": Contract.Status.values},
            "start_date": {"type": "string", "format": "date"},
            "end_date": {"type": "string", "format": "date"},
            "supplier": {"oneOf": [ref("Supplier"), {"type": "null"}]},
            "obligation": NULLABLE_MONEY,
            "agreed": MONEY,
            "realised": MONEY,
            "on_track": {"type": "string", "enum": Track.values},
        }
    ),
    "BuildingBlock": obj(
        {
            "uuid": {"type": "string", "format": "uuid"},
            "name": {"type": "string"},
            "category": {"type": "string", "enum": BuildingBlock.Category.values},
        }
    ),
    "Agreement": obj(
        {
            "uuid": {"type": "string", "format": "uuid"},
            "building_block": ref("BuildingBlock"),
            "description": {"type": "string"},
            "persons": {"type": ["integer", "null"], "minimum": 1},
            "hours_per_week": NULLABLE_DECIMAL,
            "months": NULLABLE_DECIMAL,
            "hours": NULLABLE_DECIMAL,
            "invoice_amount": NULLABLE_MONEY,
            "planned_value": MONEY,
        }
    ),
    "RealisedPerBlock": obj({"building_block": ref("BuildingBlock"), "approved": MONEY, "submitted": MONEY}),
    "Realised": obj(
        {
            "contract": {"type": "string", "format": "uuid"},
            "approved": MONEY,
            "submitted": MONEY,
            "building_blocks": {"type": "array", "items": ref("RealisedPerBlock")},
        }
    ),
    "YearFigures": obj(
        {
            "year": {"type": "integer"},
            "contracts": {"type": "integer", "minimum": 0},
            "obligation": MONEY,
            "agreed": MONEY,
            "realised": MONEY,
            "share": {"type": ["integer", "null"], "description": "gerealiseerd als percentage van de verplichting"},
        }
    ),
    "ContractPage": page_schema("Contract"),
    "AgreementPage": page_schema("Agreement"),
    "YearFiguresPage": page_schema("YearFigures"),
}

PAGE = {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "default": 1}}
PAGE_SIZE = {
    "name": "page_size",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25},
}
YEAR = {
    "name": "year",
    "in": "query",
    "required": False,
    "description": "Contracten waarvan de looptijd dit jaar overlapt / contracts whose term overlaps the year",
    "schema": {"type": "integer", "minimum": FIRST_YEAR, "maximum": 2100},
}
STATUS = {"name": "status", "in": "query", "required": False, "schema": {"type": "string", "enum": Contract.Status.values}}
UUID = {"name": "uuid", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}


def error_response(description: str, headers: dict | None = None) -> dict:
    answer = {"description": description, "content": {"application/json": {"schema": ref("Error")}}}
    if headers:
        answer["headers"] = headers
    return answer


def operation(summary: str, schema: str, parameters: list, *, paged: bool = False, has_object: bool = False) -> dict:
    responses = {
        "200": {"description": "OK", "content": {"application/json": {"schema": ref(schema)}}},
        "401": error_response(
            "Geen, een onbekende, ingetrokken of verlopen sleutel", {"WWW-Authenticate": {"schema": {"type": "string"}}}
        ),
        "405": error_response("Alleen GET"),
        "429": error_response("Te veel verzoeken", {"Retry-After": {"schema": {"type": "integer"}}}),
    }
    if paged or any(p["in"] == "query" for p in parameters):
        responses["400"] = error_response("Ongeldige parameter")
    if has_object:
        responses["404"] = error_response("Onbekend contract (of van een andere organisatie)")
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


def document(server: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "WIZZR API",
            "version": "1",
            "description": "Alleen-lezen API voor BI-tools en contractmanagementsystemen. "
            "Read-only API for BI tools and contract-management systems. "
            "Bedragen in euro als tekst met twee decimalen.",
        },
        "servers": [{"url": server}],
        "security": [{"bearer": []}],
        "paths": {
            "/contracts/": operation(
                "Inkoopcontracten van de organisatie", "ContractPage", [YEAR, STATUS, PAGE, PAGE_SIZE], paged=True
            ),
            "/contracts/{uuid}/": operation("Eén inkoopcontract", "Contract", [UUID], has_object=True),
            "/contracts/{uuid}/agreements/": operation(
                "SR-invullingsafspraken van een contract", "AgreementPage", [UUID, PAGE, PAGE_SIZE],
                paged=True, has_object=True,
            ),
            "/contracts/{uuid}/realised/": operation(
                "Gerealiseerde waarde per bouwblok (goedgekeurd en ingediend)", "Realised", [UUID], has_object=True
            ),
            "/annual-figures/": operation(
                "Jaarcijfers zoals in de SROI-jaarrapportage", "YearFiguresPage", [YEAR, PAGE, PAGE_SIZE], paged=True
            ),
            "/openapi.json": {
                "get": {
                    "summary": "Dit document",
                    "security": [],
                    "parameters": [],
                    "responses": {
                        "200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}},
                        "405": error_response("Alleen GET"),
                    },
                }
            },
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "API-sleutel"}},
        },
    }
