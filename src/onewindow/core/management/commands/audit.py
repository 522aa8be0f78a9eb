"""onewindow audit verify — walk the audit chain; exit 1 at the first broken link."""

import sys

from onewindow.core.audit import verify_chain
from onewindow.core.commands import OnewindowCommand


class Command(OnewindowCommand):
    help = "审计链：verify 逐条校验哈希链，报告第一个断点。"

    def add_arguments(self, parser):
        sub = self.add_subparsers(parser)
        sub.add_parser("verify")

    def handle(self, *args, action: str, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(f"OK：审计链完整，共 {report.checked} 条")
            return
        self.stderr.write(f"审计链断裂：第 {report.broken_at} 号记录，{report.problem}（之前 {report.checked} 条完好）")
        sys.exit(1)
