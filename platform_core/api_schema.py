"""The OpenAPI schema documents the errors every endpoint can answer, in the API's one error format.

drf-spectacular documents the success responses each view declares; the errors come from shared
plumbing (platform_core/api.py, the parser, paging, throttles, the body limit), so they are added
here for every operation at once, from what the operation has: any request (400: its query
string, or a state that does not allow it), input (413), a login requirement (403), an object
named in its path or body (404), and the rate limits (429). Field errors nest as the fields do
(`FieldErrors`). Answers outside any operation (an unknown path under /api/) use `Error` too.
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
        "Invalid input: each offending field (or query parameter) with its errors, or `detail` "
        "when the body as a whole could not be read (not JSON, nested too deeply, too many fields) "
        "or the object's state does not allow the request."
    ),
    "additionalProperties": {"$ref": "#/components/schemas/FieldErrors"},
}
# What one field answers: its messages; or, for a nested object, a ValidationError of its own
# fields; or, for a list, one entry per item: messages, or the item's own fields' errors (`{}` for
# a valid item of a list of objects); a list field whose items are checked one by one answers an
# object keyed by the index of each invalid item.
FIELD_ERRORS = {
    "description": "The errors of one field, nested as the field is.",
    "oneOf": [
        {"type": "string"},
        {
            "type": "array",
            "items": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/ValidationError"}]},
        },
        {"$ref": "#/components/schemas/ValidationError"},
    ],
}


def _reference(name: str) -> dict:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


def document_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {}).update(
        {"Error": ERROR, "ValidationError": VALIDATION_ERROR, "FieldErrors": FIELD_ERRORS}
    )
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            has_body = "requestBody" in operation
            has_query = any(parameter.get("in") == "query" for parameter in operation.get("parameters", []))
            errors = {}
            # Every operation: a query string is read before any view (a NUL in it is refused),
            # and a write the object's state does not allow is a 400 too.
            errors["400"] = ("Invalid input." if has_body or has_query else "Bad request.", "ValidationError")
            if {} not in operation.get("security", [{}]):
                errors["403"] = ("Not logged in, or not allowed.", "Error")
            if "{" in path or has_body:
                # An id in the path, or in the body, may name nothing this caller may see.
                errors["404"] = ("No such object.", "Error")
            if has_body:
                errors["413"] = ("The request body is over the size limit.", "Error")
            errors["429"] = ("Too many requests; try again later.", "Error")
            for status, (description, schema) in errors.items():
                responses.setdefault(status, {"description": description, **_reference(schema)})
    return result
