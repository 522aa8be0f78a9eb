"""The package as the holder of its sub-cases (see `cases.holders`): "my cases" lists a package as one entry
linking to its page, and a sub-case's page offers none of the acts the package performs for it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from onewindow.bundles.models import Package, SubCase
from onewindow.cases.holders import HeldEntry
from onewindow.cases.models import Case


def _entry(package: Package) -> HeldEntry:
    return HeldEntry(number=package.number, title=package.theme.name, applicant_name=package.applicant_name,
                     state_label=package.state_label, due_on=package.due_on,
                     url=reverse("bundles:package", args=[package.number]))


class PackageHolder:
    """一件事: a package holds its sub-cases."""

    def held(self) -> QuerySet[Any]:
        return SubCase.objects.values("case_id")

    def entries_for(self, user: Any) -> list[HeldEntry]:
        packages = Package.objects.filter(applicant_user_id=user.pk).select_related("theme").order_by("-id")
        return [_entry(package) for package in packages]

    def entry_of(self, case: Case) -> HeldEntry | None:
        package = Package.objects.filter(sub_cases__case=case).select_related("theme").first()
        return _entry(package) if package is not None else None
