"""The OpenAPI schema documents the errors every endpoint can answer, in the API's one error format.

drf-spectacular documents the success responses each view declares; the errors come from shared
plumbing (platform_core/api.py, the parser, paging, throttles, the body limit), so they are added
here for every operation at once, from what the operation has: input (400, 413), a login
requirement (403), an object in its path (404), and the rate limits (429).
"""

from __future__ import annotations

ERROR = {
    "type": "object",
    "description": "An error; `detail` says what went wrong.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "Invalid input: each offending field (or query parameter) with its messages, or `detail` "
        "when the body as a whole could not be read (not JSON, nested too deeply, too many fields)."
    ),
    "additionalProperties": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
}


def _reference(name: str) -> dict:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


def document_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {}).update(
        {"Error": ERROR, "ValidationError": VALIDATION_ERROR}
    )
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            has_body = "requestBody" in operation
            has_query = any(parameter.get("in") == "query" for parameter in operation.get("parameters", []))
            errors = {}
            if has_body or has_query:
                errors["400"] = ("Invalid input.", "ValidationError")
            if {} not in operation.get("security", [{}]):
                errors["403"] = ("Not logged in, or not allowed.", "Error")
            if "{" in path:
                errors["404"] = ("No such object.", "Error")
            if has_body:
                errors["413"] = ("The request body is over the size limit.", "Error")
            errors["429"] = ("Too many requests; try again later.", "Error")
            for status, (description, schema) in errors.items():
                responses.setdefault(status, {"description": description, **_reference(schema)})
    return result
