"""The catalog file format (onewindow-catalog/1, docs/catalog-format.md): its sections and the keys of each."""

from __future__ import annotations

from onewindow.catalog.selectors import DELIVERY_FIELDS, ELEMENT_FIELDS, MODE_FIELDS

FORMAT = "onewindow-catalog/1"
SECTIONS = ("departments", "service_points", "items", "themes")

DEPARTMENT_KEYS = [
    "code",
    "name",
    "short_name",
    "credit_code",
    "has_approval_functions",
    "functions_concentrated",
    "unit_stationed",
    "window_authorized",
    "has_approval_seal",
    "phone",
    "sort_order",
]
SERVICE_POINT_KEYS = ["code", "name", "level", "parent", "address", "hours", "phone", "sort_order"]
HALL_KEYS = ["code", "name", "floor", "hours", "self_service", "sort_order"]
# An item's elements are its version's fields, except the references (given by code or name) and the
# handling-mode and delivery flags (given as the lists `modes` and `delivery`).
_REFERENCE_ELEMENTS = {"department", "item_type", "supervising_department"}
_FLAG_ELEMENTS = set(MODE_FIELDS.values()) | set(DELIVERY_FIELDS.values())
VERSION_KEYS = [f for f in ELEMENT_FIELDS if f not in _REFERENCE_ELEMENTS | _FLAG_ELEMENTS]
ITEM_KEYS = [
    "implementation_code",
    "basic_code",
    "department",
    "name",
    "item_type",
    "level",
    "legal_basis",
    "conditions",
    "service_objects",
    "statutory_days",
    "promised_days",
    "time_limit_note",
    "max_extension_days",
    "case_kind",
    "visits",
    "modes",
    "online_depth",
    "fee_free",
    "fee_amount",
    "fee_basis",
    "handling_place",
    "handling_hours",
    "result_type",
    "result_name",
    "delivery",
    "central_acceptance",
    "online_platform",
    "supervising_department",
    "consult_phone",
    "complaint_phone",
    "change_reason",
]
THEME_KEYS = ["code", "name", "description", "lead_department", "promised_days", "published"]
