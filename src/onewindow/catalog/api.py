"""Catalog API: departments, items, themes."""

from ninja import Router

router = Router(tags=["事项清单 catalog"])
