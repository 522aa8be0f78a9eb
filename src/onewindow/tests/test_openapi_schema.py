"""The OpenAPI document is true: one component per name, each operation's response schema is the model its view
answers with, and every input declares its bounds (a text its `maxLength` or its choices, an integer its
`maximum` within what the database holds) — so that a value beyond them is a 422 naming the field, never a 500."""

from __future__ import annotations

import typing
from collections import defaultdict

import pytest
from django.test import Client
from pydantic import BaseModel

from onewindow.api import api
from onewindow.core.params import BIGINT_MAX


@pytest.fixture(scope="module")
def document() -> dict:
    return Client().get("/api/v1/openapi.json").json()


def _operations():
    """(operationId, operation) of every operation the API publishes."""
    for _, router in api._routers:
        for path_operation in router.path_operations.values():
            for operation in path_operation.operations:
                if operation.include_in_schema:
                    yield operation.operation_id or api.get_openapi_operation_id(operation), operation


def _models_in(annotation, found: set) -> None:
    """Every pydantic model reachable from `annotation` (its fields, lists, unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _models_in(argument, found)


def _declared_models() -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()
    for _, operation in _operations():
        for model in operation.models:
            _models_in(model, found)
        for response in operation.response_models.values():
            if isinstance(response, type) and issubclass(response, BaseModel):
                _models_in(response.model_fields["response"].annotation, found)
    return {m for m in found if m.__module__.startswith("onewindow.")}


def test_no_two_schemas_share_a_component_name():
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in _declared_models():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    assert {name: classes for name, classes in by_name.items() if len(classes) > 1} == {}


def _resolve(definitions: dict, node: dict) -> dict:
    while "$ref" in node:
        node = definitions[node["$ref"].split("/")[-1]]
    return node


def _properties(definitions: dict, node: dict) -> dict:
    """The properties of an object schema (of its items for a list), each nested object's as its own dict."""
    node = _resolve(definitions, node)
    if node.get("type") == "array":
        return {"[]": _properties(definitions, node["items"])}
    return {name: _properties(definitions, spec) if "$ref" in spec or spec.get("type") == "array" else spec.get("type")
            for name, spec in node.get("properties", {}).items()}


def test_each_operation_publishes_the_response_schema_of_the_model_it_answers_with(document):
    components = document["components"]["schemas"]
    published_by_id = {op["operationId"]: op for ops in document["paths"].values() for op in ops.values()}
    wrong = []
    for operation_id, operation in _operations():
        for status, response_model in operation.response_models.items():
            if not (isinstance(response_model, type) and issubclass(response_model, BaseModel)):
                continue  # an answer without a body (204)
            own = response_model.model_json_schema(mode="serialization")
            expected = _properties(own.get("$defs", {}), own["properties"]["response"])
            published = published_by_id[operation_id]["responses"][str(status)]
            actual = _properties(components, published["content"]["application/json"]["schema"])
            if expected != actual:
                wrong.append(f"{operation_id} {status}")
    assert wrong == []


def _unbounded(document: dict, node: dict, where: str, found: list) -> None:
    node = _resolve(document["components"]["schemas"], node)
    declared = {key: node[key] for key in ("maxLength", "maximum") if key in node}  # on a union: for each option
    for option in node.get("anyOf", []) + node.get("allOf", []) + node.get("oneOf", []):
        _unbounded(document, {**declared, **option}, where, found)
    kind = node.get("type")
    if kind == "string" and not {"enum", "const", "format", "maxLength"} & set(node):
        found.append(f"{where}: a text without maxLength")
    if kind == "integer" and node.get("maximum", float("inf")) > BIGINT_MAX:
        found.append(f"{where}: an integer without a maximum the database holds")
    for name, spec in node.get("properties", {}).items():
        _unbounded(document, spec, f"{where}.{name}", found)
    if "items" in node:
        _unbounded(document, node["items"], f"{where}[]", found)


def test_every_input_declares_its_bounds(document):
    """Body, query, header and form texts declare `maxLength` (or their choices); every integer, in the address
    too, declares a maximum within a bigint. A path text needs none: it only names what to look up (404)."""
    found: list[str] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                where = f"{method.upper()} {path} {parameter['in']}:{parameter['name']}"
                schema = parameter.get("schema", {})
                if parameter["in"] == "path" and _resolve(document["components"]["schemas"], schema).get("type") == "string":
                    continue
                _unbounded(document, schema, where, found)
            for content in operation.get("requestBody", {}).get("content", {}).values():
                _unbounded(document, content["schema"], f"{method.upper()} {path} body", found)
    assert found == []
