"""The demo's licence validities (演示数据): every licence-issuing item of the demo catalog gets a term, so that the
demo cases' issued licences enter the register with a validity (run after the catalog, before the cases)."""

from __future__ import annotations

from onewindow.catalog.models import ServiceItem
from onewindow.licences.models import LicenceTerm

# Result types (审批结果类型) whose documents carry a validity, and the years the demo gives them: licences five
# years (e.g. 食品经营许可证), certificates three; approval documents and certifications have none (长期有效).
DEMO_YEARS = {"许可证": 5, "证照": 5, "证书": 3}


def seed_licences_demo(*, seed: int) -> dict:
    """A `LicenceTerm` for each published item whose result type carries a validity; idempotent."""
    items = ServiceItem.objects.filter(published_version__result_type__in=DEMO_YEARS).select_related(
        "published_version")
    existing = set(LicenceTerm.objects.values_list("item_id", flat=True))
    terms = [LicenceTerm(item=item, validity_years=DEMO_YEARS[item.published_version.result_type])
             for item in items if item.pk not in existing]
    LicenceTerm.objects.bulk_create(terms)
    return {"terms": len(terms)}
