"""减填写 beside the catalog's 三减 figures: per item, the fields on its application form and, per application on
average, the fields the center prefilled and those the applicant typed. Registered with `catalog.figures`."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onewindow.cases.selectors import fill_figures_of
from onewindow.catalog.figures import Column, FigureTable

COLUMNS = (
    Column("fields", _("表单字段"), pgettext_lazy("减填写", "个")),
    Column("cases", _("统计件数"), pgettext_lazy("减填写", "件")),
    Column("prefilled", _("平均预填"), _("个字段")),
    Column("typed", _("平均填写"), _("个字段")),
)


class FillFigureProvider:
    """The cases' 减填写 figures of catalog items."""

    def item_figures(self, item_ids: Sequence[int]) -> FigureTable:
        """Per item with a form: fields on its current form, cases filed with a form, fields prefilled and typed per
        case on average (None without cases). Totals: fields per form on average, cases added up, prefilled and
        typed per case over all the cases (one decimal)."""
        figures = fill_figures_of(item_ids)
        rows = {pk: (f.fields, f.cases, f.prefilled if f.cases else None, f.typed if f.cases else None)
                for pk, f in figures.items()}
        cases = sum(f.cases for f in figures.values())
        forms = [f.fields for f in figures.values() if f.fields]
        totals = (
            round(sum(forms) / len(forms), 1) if forms else None,
            cases,
            round(sum(f.prefilled_sum for f in figures.values()) / cases, 1) if cases else None,
            round(sum(f.typed_sum for f in figures.values()) / cases, 1) if cases else None,
        )
        return FigureTable(title=_("减填写"), columns=COLUMNS, rows=rows, totals=totals,
                           note=_("合计：表单字段为每张申请表平均，预填、填写为每件申请平均"))
