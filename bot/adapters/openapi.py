"""The OpenAPI 3.1 document of the HTTP API, generated from its pydantic models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from bot.adapters.http_models import (
    BatchIn,
    BatchOut,
    DecisionOut,
    ErrorOut,
    HealthOut,
    IncidentDetail,
    IncidentPage,
    IncidentQuery,
    MessageIn,
)
from handlers.policy import ChatPolicy

API_PREFIX = "/api/v1"
SCHEMA_MODELS: tuple[tuple[type[BaseModel], JsonSchemaMode], ...] = (
    (MessageIn, "validation"),
    (BatchIn, "validation"),
    (ChatPolicy, "validation"),
    (ChatPolicy, "serialization"),
    (DecisionOut, "serialization"),
    (BatchOut, "serialization"),
    (IncidentDetail, "serialization"),
    (IncidentPage, "serialization"),
    (HealthOut, "serialization"),
    (ErrorOut, "serialization"),
)
ERRORS = {
    "400": "The body is not valid JSON.",
    "401": "No, a malformed, an unknown or a revoked API key.",
    "404": "No such resource for this API key.",
    "413": "The body or the batch is larger than the limit.",
    "415": "The body is not application/json.",
    "422": "A field is missing, of the wrong type, out of range or unknown; `field` names it.",
}


def build_openapi(*, max_batch: int, max_body_bytes: int) -> dict[str, Any]:
    """The API's OpenAPI 3.1 document for the given limits."""
    refs, top = models_json_schema(SCHEMA_MODELS, ref_template="#/components/schemas/{model}")
    schemas = top["$defs"]
    schemas["BatchIn"]["properties"]["messages"]["maxItems"] = max_batch

    def ref(model: type[BaseModel], mode: JsonSchemaMode = "serialization") -> dict[str, Any]:
        return dict(refs[(model, mode)])

    message_ops = {
        "/messages": path_operation(
            "post", "Decide one message", ref(MessageIn, "validation"), ref(DecisionOut), errors=ERRORS
        ),
        "/messages/batch": path_operation(
            "post",
            f"Decide up to {max_batch} messages in order; the whole batch is validated first",
            ref(BatchIn, "validation"),
            ref(BatchOut),
            errors=ERRORS,
        ),
    }
    incident_ops = {
        "/incidents": path_operation(
            "get", "List incidents, newest first", None, ref(IncidentPage), errors=ERRORS, query=IncidentQuery
        ),
        "/incidents/{incident_id}": path_operation(
            "get", "One incident with its evidence", None, ref(IncidentDetail), errors=ERRORS, path=("incident_id",)
        ),
    }
    policy_path = {
        "/chats/{chat_id}/policy": path_operation(
            "get", "The chat's policy (defaults when unset)", None, ref(ChatPolicy), errors=ERRORS, path=("chat_id",)
        )
        | path_operation(
            "put",
            "Merge the given fields onto the chat's policy",
            ref(ChatPolicy, "validation"),
            ref(ChatPolicy),
            errors=ERRORS,
            path=("chat_id",),
        )
    }
    public_ops = {
        "/openapi.json": path_operation("get", "This document", None, {"type": "object"}, public=True),
        "/health": path_operation("get", "Liveness", None, ref(HealthOut), public=True),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "minorguard HTTP API",
            "version": "1",
            "description": (
                "Send your group chats' and comment threads' messages; get back what to do with each one. "
                f"Request bodies are at most {max_body_bytes} bytes of application/json."
            ),
        },
        "servers": [{"url": API_PREFIX}],
        "security": [{"bearerAuth": []}],
        "paths": message_ops | incident_ops | policy_path | public_ops,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "The API key of one tenant."}
            },
        },
    }


def path_operation(
    method: str,
    summary: str,
    request_schema: dict[str, Any] | None,
    response_schema: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    query: type[BaseModel] | None = None,
    path: tuple[str, ...] = (),
    public: bool = False,
) -> dict[str, Any]:
    """One path item entry: ``{method: operation}``."""
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    responses: dict[str, Any] = {
        "200": {"description": "OK", "content": {"application/json": {"schema": response_schema}}}
    }
    for status, description in (errors or {}).items():
        responses[status] = {"description": description, "content": {"application/json": {"schema": error_ref}}}
    operation: dict[str, Any] = {"summary": summary, "responses": responses}
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}} for name in path
    ]
    if query is not None:
        schema = query.model_json_schema(ref_template="#/components/schemas/{model}")
        parameters += [
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": _not_null(prop),
                "description": prop["description"],
            }
            for name, prop in schema["properties"].items()
        ]
    if parameters:
        operation["parameters"] = parameters
    if request_schema is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": request_schema}}}
    if public:
        operation["security"] = []
    return {method: operation}


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter's schema without pydantic's ``null`` branch: an absent parameter is the null."""
    branches = [branch for branch in schema.get("anyOf", ()) if branch.get("type") != "null"]
    if len(branches) != 1:
        return schema
    rest = {key: value for key, value in schema.items() if key not in ("anyOf", "default")}
    return branches[0] | rest
