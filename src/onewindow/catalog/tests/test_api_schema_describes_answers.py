"""The published OpenAPI schema of the catalog describes what each catalog endpoint answers: a schema of another
app with the same name must not stand in for it (the item's materials once read as a case's materials)."""

from __future__ import annotations

import pytest

from onewindow.catalog.importexport import import_catalog
from onewindow.catalog.tests.factories import catalog_data

pytestmark = pytest.mark.django_db

ITEM = "11500103MB1234567X4500001000000"


@pytest.fixture
def catalog():
    import_catalog(catalog_data(4))


def _component(spec: dict, schema: dict) -> dict:
    if "$ref" in schema:
        return _component(spec, spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    if schema.get("type") == "array":
        return _component(spec, schema["items"])
    return schema


def _assert_described(spec: dict, schema: dict, answer, where: str) -> None:
    schema = _component(spec, schema)
    if isinstance(answer, list):
        for element in answer[:1]:
            _assert_described(spec, schema, element, where + "[0]")
        return
    if not isinstance(answer, dict):
        return
    properties = schema.get("properties", {})
    assert sorted(properties) == sorted(answer), f"{where}: the schema names {sorted(properties)}"
    for name, value in answer.items():
        if isinstance(value, dict | list) and value:
            _assert_described(spec, properties[name], value, f"{where}.{name}")


@pytest.mark.parametrize(("template", "path"), [
    ("/api/v1/departments", "/api/v1/departments"),
    ("/api/v1/items", "/api/v1/items"),
    ("/api/v1/items/{implementation_code}", f"/api/v1/items/{ITEM}"),
    ("/api/v1/themes", "/api/v1/themes"),
    ("/api/v1/themes/{code}", "/api/v1/themes/restaurant"),
])
def test_each_catalog_answer_has_exactly_the_fields_its_published_schema_names(client, catalog, template, path):
    spec = client.get("/api/v1/openapi.json").json()
    answer = client.get(path).json()
    schema = spec["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

    assert answer, path
    _assert_described(spec, schema, answer, path)
