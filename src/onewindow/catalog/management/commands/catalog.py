"""onewindow catalog import|export|reductions — the catalog (事项清单) from the shell."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from onewindow.catalog import figures, importexport, selectors
from onewindow.catalog.models import ServiceItem
from onewindow.core.commands import OnewindowCommand


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _figure(value) -> str:
    return "—" if value is None else str(value)


class Command(OnewindowCommand):
    help = "事项清单：导入、导出（JSON / XLSX），三减统计。"

    def add_arguments(self, parser):
        sub = self.add_subparsers(parser)
        load = sub.add_parser("import", help="导入 .json 或 .xlsx 事项清单（全部或全不；列出所有错误行）")
        load.add_argument("file")
        dump = sub.add_parser("export", help="按后缀导出为 .json 或 .xlsx，格式与导入相同")
        dump.add_argument("file")
        sub.add_parser("reductions", help="各部门三减：减材料、减环节、减时限、平均承诺时限、压缩率")

    def handle(self, *args, action: str, **options):
        if action == "import":
            path = Path(options["file"])
            importexport.check_suffix(path)
            if not path.is_file():
                raise CommandError(f"文件不存在：{path}", returncode=2)
            report = importexport.import_file(path)
            self.stdout.write(f"已导入 {path.name}：{report.summary()}")
        elif action == "export":
            path = Path(options["file"])
            data = importexport.export_file(path)
            self.stdout.write(
                f"已导出 {path}：部门 {len(data['departments'])}，事项 {len(data['items'])}，主题 {len(data['themes'])}"
            )
        elif action == "reductions":
            self._reductions()

    def _reductions(self) -> None:
        """三减 per department and in all, each registered provider's figures beside them (减填写: department totals
        on its line), then that provider's figures per item."""
        out = self.stdout.write
        rows = selectors.department_reductions()
        items: dict[int, list[int]] = {}
        for pk, department_id in ServiceItem.objects.filter(published_version__isnull=False).values_list(
                "pk", "department_id"):
            items.setdefault(department_id, []).append(pk)
        every = [pk for pks in items.values() for pk in pks]
        tables = figures.item_figures(every)
        extra = "".join(f"\t{t.title}·{c.label}" for t in tables for c in t.columns)
        out("部门\t事项数\t减材料\t减环节\t减时限(工作日)\t平均承诺时限\t压缩率" + extra)
        for department, s in rows:
            beside = "".join(f"\t{_figure(v)}" for t in figures.item_figures(items.get(department.pk, []))
                             for v in t.totals)
            out(
                f"{department.name}\t{s.items}\t{s.materials_cut}\t{s.steps_cut}\t{s.days_cut}\t"
                f"{s.average_promised_days if s.average_promised_days is not None else '—'}\t{_percent(s.compression_rate)}"
                + beside
            )
        total = selectors.summarize(selectors.item_reductions())
        out(
            f"合计\t{total.items}\t{total.materials_cut}\t{total.steps_cut}\t{total.days_cut}\t"
            f"{total.average_promised_days if total.average_promised_days is not None else '—'}\t{_percent(total.compression_rate)}"
            + "".join(f"\t{_figure(v)}" for t in tables for v in t.totals)
        )
        for table in tables:
            shown = figures.shown_rows(table)
            if not shown:
                continue
            out("")
            out(f"{table.title}（{table.note}）" if table.note else str(table.title))
            out("事项\t实施编码\t" + "\t".join(f"{c.label}({c.unit})" for c in table.columns))
            for row in shown:
                out(f"{row.item.name}\t{row.item.implementation_code}\t"
                    + "\t".join(_figure(value) for _column, value in row.cells))
