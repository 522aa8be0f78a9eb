"""onewindow audit verify — walk every chain of the audit log; exit 1 at the first problem.
onewindow audit anchor — append an anchor (every chain's head) now, as the periodic job does."""

import sys

from onewindow.core.audit import anchor_chain, verify_chain
from onewindow.core.commands import OnewindowCommand


class Command(OnewindowCommand):
    help = "审计链：verify 逐条校验各分链、链头与锚点，报告第一个断点；anchor 立即记录一个锚点。"

    def add_arguments(self, parser):
        sub = self.add_subparsers(parser)
        sub.add_parser("verify")
        sub.add_parser("anchor")

    def handle(self, *args, action: str, **options):
        if action == "anchor":
            event = anchor_chain()
            if event is None:
                self.stdout.write("各分链自上一个锚点以来没有新记录，未记录新锚点")
            else:
                self.stdout.write(f"已记录锚点：第 {event.pk} 号记录，{len(event.after['heads'])} 条分链的链头")
            return
        report = verify_chain()
        if report.ok:
            anchored = (f"{report.anchors} 个锚点；最近锚点之后新增 {report.unanchored} 条" if report.anchors
                        else "尚无锚点：可运行 onewindow audit anchor 立即记录")
            self.stdout.write(f"OK：审计链完整，共 {report.checked} 条（{report.shards} 条分链，{anchored}）")
            return
        self.stderr.write(f"审计链断裂：第 {report.broken_at} 号记录，{report.problem}"
                          f"（分链 {report.shard}；之前 {report.checked} 条完好）")
        sys.exit(1)
