"""Printable notices of a case as PDF: 受理通知书, 补正材料通知书, 不予受理决定书, 准予/不予行政许可决定书,
特别程序告知书 (第四十五条), 听证告知书 (第四十七条), 听证通知书 (第四十八条).

`render_notice(NoticeData) -> bytes` is pure: no database, no settings. Chinese text is set in ReportLab's
CID font STSong-Light, which every PDF reader supplies itself, so the server needs no font files.
`notice_for_case(case, kind)` is the thin adapter from a case of the engine to a `NoticeData`.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import urlencode
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus import paragraph as rl_paragraph

from onewindow.core.errors import ErrorCode, InvalidInput
from onewindow.core.identity import mask_identity
from onewindow.core.links import public_base_url

FONT = "STSong-Light"
# Latin letters and digits (case numbers, query codes, URLs) in a standard PDF font: readers that substitute
# the CID font otherwise space them out unevenly ("SC 2026…"), which a clerk may misread.
LATIN_FONT = "Helvetica"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
# ReportLab's CJK wrapping keeps a line from starting with 。） but not with 》，：；！？ (GB/T 15834 forbids all):
# add the Chinese closing marks to its table of characters that cannot start a line.
_CLOSING_MARKS = "》，：；！？”’〉"
rl_paragraph.ALL_CANNOT_START += "".join(c for c in _CLOSING_MARKS if c not in rl_paragraph.ALL_CANNOT_START)
_LATIN_RUN = re.compile(r"[!-~](?:[ -~]*[!-~])?")

LICENSING_LAW = "《中华人民共和国行政许可法》"
# 行政复议法第二十条 (60 days) and 行政诉讼法第四十六条 (6 months); 行政许可法第三十八条 requires telling both.
REMEDY_PERIODS = ("六十日", "六个月")


class NoticeKind(enum.StrEnum):
    """The notices a case can print; the value is the `<kind>` of the download URL."""

    ACCEPTANCE = "acceptance"
    CORRECTION = "correction"
    REFUSAL = "refusal"
    APPROVAL = "approval"
    DENIAL = "denial"
    SUSPENSION = "suspension"
    HEARING_RIGHT = "hearing_right"
    HEARING_NOTICE = "hearing_notice"
    EXTENSION = "extension"
    APPLICATION_FORM = "application_form"

    @property
    def title(self) -> str:
        return NOTICE_TITLES[self]


NOTICE_TITLES = {
    NoticeKind.ACCEPTANCE: gettext_noop("受理通知书"),
    NoticeKind.CORRECTION: gettext_noop("补正材料通知书"),
    NoticeKind.REFUSAL: gettext_noop("不予受理决定书"),
    NoticeKind.APPROVAL: gettext_noop("准予行政许可决定书"),
    NoticeKind.DENIAL: gettext_noop("不予行政许可决定书"),
    NoticeKind.SUSPENSION: gettext_noop("特别程序告知书"),
    NoticeKind.HEARING_RIGHT: gettext_noop("听证告知书"),
    NoticeKind.HEARING_NOTICE: gettext_noop("听证通知书"),
    NoticeKind.EXTENSION: gettext_noop("延长行政许可期限告知书"),
    NoticeKind.APPLICATION_FORM: gettext_noop("申请表"),
}
# The act that issues each notice (出具): the notice is issued by whoever performs the act, audited once as that act.
# Printing or downloading a copy afterwards is recorded apart (`case.document_printed`) and issues nothing.
ISSUING_ACTS = {
    "deem_accept": NoticeKind.ACCEPTANCE,  # 视为受理 by law (art. 32): the acceptance the notice states
    "accept": NoticeKind.ACCEPTANCE,
    "request_correction": NoticeKind.CORRECTION,
    "refuse": NoticeKind.REFUSAL,
    "suspend": NoticeKind.SUSPENSION,
    "notify_hearing_right": NoticeKind.HEARING_RIGHT,
    "schedule_hearing": NoticeKind.HEARING_NOTICE,
    "extend": NoticeKind.EXTENSION,
    "approve": NoticeKind.APPROVAL,
    "deny": NoticeKind.DENIAL,
}
# The order a case's notices are listed in: the order they are issued.
NOTICE_ORDER = [NoticeKind.APPLICATION_FORM, NoticeKind.CORRECTION, NoticeKind.REFUSAL, NoticeKind.ACCEPTANCE, NoticeKind.SUSPENSION,
                NoticeKind.HEARING_RIGHT, NoticeKind.HEARING_NOTICE, NoticeKind.EXTENSION, NoticeKind.APPROVAL, NoticeKind.DENIAL]


@dataclass(frozen=True)
class MaterialLine:
    """One material named on a notice: what is wrong with it (补正) or what was promised (容缺)."""

    name: str
    problem: str


@dataclass(frozen=True)
class NoticeData:
    """Everything a notice prints. `applicant_id` is masked by the renderer whatever it is given."""

    kind: NoticeKind
    center_name: str
    case_number: str
    query_code: str
    applicant_name: str
    applicant_id: str
    item_name: str
    department: str
    issued_on: dt.date
    tracking_url: str
    received_on: dt.date | None = None
    accepted_on: dt.date | None = None
    due_on: dt.date | None = None
    due_on_provisional: bool = False  # counted through a year whose holiday notice is not loaded yet (暂定)
    promised_days: int | None = None
    correction_due_on: dt.date | None = None
    materials: tuple[MaterialLine, ...] = ()
    lines: tuple[str, ...] = ()
    reason: str = ""
    legal_basis: str = ""
    result_name: str = ""
    review_body: str = ""
    title: str = ""
    # special procedures and hearings
    procedure: str = ""  # 特别程序的名称（检验、专家评审…）
    started_on: dt.date | None = None
    expected_end_on: dt.date | None = None
    parties: tuple[str, ...] = ()  # 利害关系人
    hearing_time: str = ""  # 2025年9月26日 9:30
    place: str = ""
    presiding: str = ""
    requested_by: str = ""
    deemed_accepted: bool = False  # 视为受理 (art. 32): the acceptance notice says so
    legal_due_on: dt.date | None = None
    extension_days: int | None = None
    approved_by: str = ""  # who approved the extension (本机关负责人 / 本级人民政府负责人)
    answers: tuple[tuple[str, str], ...] = ()  # 申请表: (field label, value in words), in the form's order

    @property
    def heading(self) -> str:
        return self.title or NoticeKind(self.kind).title


def tracking_url(base_url: str, number: str, code: str) -> str:
    """Public tracking page of a case: `{base}/track/?number=…&code=…`."""
    return f"{base_url.rstrip('/')}/track/?{urlencode({'number': number, 'code': code})}"


def notice_filename(data: NoticeData) -> str:
    return f"{data.case_number}-{NoticeKind(data.kind).value}.pdf"


# What each kind of notice must say (kinds, the field named, the check, the message): a notice missing one is
# refused rather than printed.
NOTICE_REQUIREMENTS: tuple[tuple[frozenset[NoticeKind], str, Callable[[NoticeData], bool], str], ...] = (
    (frozenset({NoticeKind.CORRECTION}), "materials", lambda d: bool(d.materials),
     "补正材料通知书须列明需要补正的全部材料"),
    (frozenset({NoticeKind.CORRECTION}), "materials", lambda d: all(m.problem.strip() for m in d.materials),
     "补正材料通知书须写明每份材料存在的问题"),
    (frozenset({NoticeKind.REFUSAL, NoticeKind.DENIAL}), "reason", lambda d: bool(d.reason.strip()),
     "不予受理、不予许可须说明理由"),
    (frozenset({NoticeKind.APPROVAL, NoticeKind.DENIAL}), "legal_basis", lambda d: bool(d.legal_basis.strip()),
     "行政许可决定须写明法律依据"),
    (frozenset({NoticeKind.EXTENSION}), "reason", lambda d: bool(d.reason.strip()),
     "延长期限须将延长期限的理由告知申请人"),
    (frozenset({NoticeKind.EXTENSION}), "legal_due_on",
     lambda d: d.extension_days is not None and d.legal_due_on is not None,
     "延长期限告知书须写明延长的天数和届满日期"),
    (frozenset({NoticeKind.ACCEPTANCE}), "due_on", lambda d: d.due_on is not None,
     "受理通知书须写明承诺办结日期"),
    (frozenset({NoticeKind.SUSPENSION}), "expected_end_on", lambda d: d.expected_end_on is not None and bool(d.procedure),
     "特别程序告知书须写明程序及其所需时间"),
    (frozenset({NoticeKind.HEARING_RIGHT}), "due_on", lambda d: d.due_on is not None and bool(d.reason.strip()),
     "听证告知书须写明涉及的重大利益和申请听证的期限"),
    (frozenset({NoticeKind.APPLICATION_FORM}), "answers", lambda d: bool(d.answers),
     "申请表须有填写的内容"),
    (frozenset({NoticeKind.HEARING_NOTICE}), "place", lambda d: bool(d.hearing_time and d.place and d.presiding),
     "听证通知书须写明听证的时间、地点和主持人"),
)


def check_notice(data: NoticeData) -> None:
    """Refuse to print a notice that would mislead: what each kind must say, it must have (`NOTICE_REQUIREMENTS`).

    Raises InvalidInput `incomplete_notice` naming every missing field."""
    kind = NoticeKind(data.kind)
    missing: dict[str, str] = {}
    if not data.case_number:
        missing["case_number"] = "缺少办件编号"
    for kinds, field, present, message in NOTICE_REQUIREMENTS:
        if kind in kinds and not present(data):
            missing[field] = message
    if missing:
        raise InvalidInput("；".join(dict.fromkeys(missing.values())), code=ErrorCode.INCOMPLETE_NOTICE, fields=missing)


def cn_date(value: dt.date | None) -> str:
    """A date as official documents write it (GB/T 9704): 2026年11月28日."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


PROVISIONAL_NOTE = "（暂定：该年度国务院放假通知尚未公布，按节假日规则推算，通知公布后如有调整将另行告知）"


def cn_working_day_date(value: dt.date | None, provisional: bool) -> str:
    """A date counted in working days as a notice writes it, marked 暂定 when counted through a year whose official
    holiday notice is not loaded yet (workdays.provisional)."""
    return cn_date(value) + (PROVISIONAL_NOTE if value and provisional else "")


# -- layout -----------------------------------------------------------------------------------------

PAGE_W, PAGE_H = A4
MARGIN_X = 22 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X
QR_SIZE = 27 * mm
SEAL_RED = colors.HexColor("#c8161d")
INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5d6b7a")


def _style(name: str, **kw) -> ParagraphStyle:
    base = {"fontName": FONT, "fontSize": 12, "leading": 20, "textColor": INK, "wordWrap": "CJK"}
    base.update(kw)
    return ParagraphStyle(name, **base)


STYLES = {
    "letterhead": _style("letterhead", fontSize=15, leading=20, alignment=TA_CENTER, textColor=SEAL_RED),
    "title": _style("title", fontSize=22, leading=30, alignment=TA_CENTER, spaceBefore=4),
    "number": _style("number", fontSize=10.5, leading=16, alignment=TA_CENTER, textColor=MUTED),
    "qr": _style("qr", fontSize=8, leading=10, alignment=TA_CENTER, textColor=MUTED),
    "to": _style("to", spaceBefore=10),
    "body": _style("body", alignment=TA_JUSTIFY, firstLineIndent=24),
    "plain": _style("plain", alignment=TA_LEFT),
    "cell": _style("cell", fontSize=10.5, leading=15),
    "cellhead": _style("cellhead", fontSize=10.5, leading=15, alignment=TA_CENTER),
    "label": _style("label", fontSize=10.5, leading=15, textColor=MUTED),
    "sign": _style("sign", alignment=TA_RIGHT),
    "note": _style("note", fontSize=9.5, leading=14, textColor=MUTED),
}


def _markup(text: str) -> str:
    """Plain text as paragraph markup: escaped (a reason with `<` or `&` prints as written), Latin runs in Helvetica."""
    out, last = [], 0
    for run in _LATIN_RUN.finditer(text):
        out.append(escape(text[last:run.start()]))
        out.append(f'<font name="{LATIN_FONT}">{escape(run.group())}</font>')
        last = run.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(_markup(text), STYLES[style])


def _draw_mixed(canvas, x: float, y: float, text: str, size: float, *, right: bool = False) -> None:
    """Draw one line on the canvas with the same font split as paragraphs use."""
    pieces, last = [], 0
    for run in _LATIN_RUN.finditer(text):
        pieces += [(text[last:run.start()], FONT), (run.group(), LATIN_FONT)]
        last = run.end()
    pieces.append((text[last:], FONT))
    pieces = [(chunk, font) for chunk, font in pieces if chunk]
    if right:
        x -= sum(pdfmetrics.stringWidth(chunk, font, size) for chunk, font in pieces)
    for chunk, font in pieces:
        canvas.setFont(font, size)
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, font, size)


def qr_drawing(url: str, size: float = QR_SIZE) -> Drawing:
    """The QR code of `url` as vector rectangles (sharp at any print resolution, no image library)."""
    qr = segno.make_qr(url, error="m")
    rows = [list(row) for row in qr.matrix_iter(scale=1, border=4)]
    module = size / len(rows)
    drawing = Drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            # One rectangle per run of dark modules; a hair wider so readers do not show seams.
            drawing.add(
                Rect(start * module, size - (y + 1) * module, (x - start) * module + 0.05, module + 0.05,
                     fillColor=colors.black, strokeColor=None, strokeWidth=0)
            )
    return drawing


def _header(data: NoticeData) -> list:
    qr_cell = [qr_drawing(data.tracking_url), _p("扫码查询办理进度", "qr")]
    middle = [
        _p(data.center_name, "letterhead"),
        _p(data.heading, "title"),
        _p(f"编号：{data.case_number}", "number"),
    ]
    side = QR_SIZE + 2 * mm
    table = Table([["", middle, qr_cell]], colWidths=[side, FRAME_W - 2 * side, side])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, SEAL_RED),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return [table, Spacer(1, 4 * mm)]


def _facts(data: NoticeData, rows: list[tuple[str, str]]) -> Table:
    cells = [[_p(label, "label"), _p(value, "cell")] for label, value in rows if value]
    table = Table(cells, colWidths=[30 * mm, FRAME_W - 30 * mm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#d9e1ea")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _materials_table(materials: tuple[MaterialLine, ...], problem_heading: str) -> Table:
    cells = [[_p("序号", "cellhead"), _p("材料名称", "cellhead"), _p(problem_heading, "cellhead")]]
    for index, material in enumerate(materials, start=1):
        cells.append([_p(str(index), "cellhead"), _p(material.name, "cell"), _p(material.problem, "cell")])
    table = Table(cells, colWidths=[12 * mm, 62 * mm, FRAME_W - 74 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, INK),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f9")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _addressee(data: NoticeData) -> Paragraph:
    return _p(f"{data.applicant_name}：", "to")


def _applicant_text(data: NoticeData) -> str:
    masked = mask_identity(data.applicant_id)
    return f"{data.applicant_name}（{masked}）" if masked else data.applicant_name


def _remedies(data: NoticeData) -> Paragraph:
    review = f"向{data.review_body}" if data.review_body else "依法"
    days, months = REMEDY_PERIODS
    return _p(
        f"如不服本决定，可以自收到本决定书之日起{days}内{review}申请行政复议，"
        f"也可以自收到本决定书之日起{months}内依法向人民法院提起行政诉讼。"
    )


def _received(data: NoticeData) -> str:
    return f"于{cn_date(data.received_on)}" if data.received_on else ""


def _body_acceptance(data: NoticeData) -> list:
    days = f"{data.promised_days}个工作日" if data.promised_days is not None else ""
    decided = (f"本机关未在收到申请之日起五个工作日内作出受理决定或者告知补正。根据{LICENSING_LAW}第三十二条"
               f"第一款第（四）项的规定，自收到申请材料之日（{cn_date(data.accepted_on)}）起即为受理。"
               if data.deemed_accepted else
               f"申请材料齐全、符合法定形式。根据{LICENSING_LAW}第三十二条的规定，本机关决定予以受理。")
    flow = [
        _addressee(data),
        _p(f"你（单位）{_received(data)}提出的{data.item_name}申请，{decided}"),
        _p(
            (f"本事项承诺办结时限为{days}，" if days else "")
            + f"自受理之日起计算，预计于{cn_working_day_date(data.due_on, data.due_on_provisional)}前办结。法定节假日不计入办理时限；"
            "依法需要听证、检验、检测、鉴定、专家评审的，所需时间不计入办理时限，本机关将书面告知。"
        ),
    ]
    if data.materials:
        flow += [
            _p("下列材料容缺受理，请按承诺的时间补交；逾期未补交的，将依法处理：", "body"),
            Spacer(1, 2 * mm),
            _materials_table(data.materials, "补交承诺"),
        ]
    return flow


def _body_correction(data: NoticeData) -> list:
    flow = [
        _addressee(data),
        _p(f"你（单位）{_received(data)}提交的{data.item_name}申请材料不齐全或者不符合法定形式。"
           f"根据{LICENSING_LAW}第三十二条第一款第（四）项的规定，现一次性告知需要补正的全部内容"
           f"（共{len(data.materials)}项）如下："),
        Spacer(1, 2 * mm),
        _materials_table(data.materials, "存在问题及补正要求"),
        Spacer(1, 3 * mm),
    ]
    if data.correction_due_on:
        flow.append(_p(f"请于{cn_date(data.correction_due_on)}前一次性补正上述全部材料。"))
    flow.append(_p(
        "补正期间不计入办理时限。办理时限自本机关收到全部补正材料之日起计算。"
        "本通知已列明需要补正的全部内容，本机关不再要求补正本通知以外的材料。"
    ))
    return flow


def _body_refusal(data: NoticeData) -> list:
    reason = data.reason.strip().rstrip("。")
    flow = [
        _addressee(data),
        _p(f"你（单位）{_received(data)}提出的{data.item_name}申请，经审查：{reason}。"
           f"根据{LICENSING_LAW}第三十二条第一款的规定，本机关决定不予受理。"),
    ]
    if data.legal_basis:
        flow.append(_p(f"依据：{data.legal_basis}"))
    return flow + [_remedies(data)]


def _body_approval(data: NoticeData) -> list:
    accepted = f"本机关于{cn_date(data.accepted_on)}受理后" if data.accepted_on else "本机关受理后"
    flow = [
        _addressee(data),
        _p(f"你（单位）{_received(data)}提出的{data.item_name}申请，{accepted}依法进行了审查。"
           + (f"经审查：{data.reason.strip().rstrip('。')}。" if data.reason.strip() else "")
           + f"申请符合法定条件、标准。根据{data.legal_basis.strip().rstrip('。')}的规定，本机关决定准予行政许可。"),
    ]
    result = f"《{data.result_name}》" if data.result_name else "行政许可证件"
    flow.append(_p(f"本机关将自作出本决定之日起十日内向你（单位）颁发、送达{result}。"))
    return flow


def _body_denial(data: NoticeData) -> list:
    accepted = f"本机关于{cn_date(data.accepted_on)}受理后" if data.accepted_on else "本机关受理后"
    return [
        _addressee(data),
        _p(f"你（单位）{_received(data)}提出的{data.item_name}申请，{accepted}依法进行了审查。"
           f"经审查：{data.reason.strip().rstrip('。')}。"
           f"根据{data.legal_basis.strip().rstrip('。')}的规定，本机关决定不予行政许可。"),
        _remedies(data),
    ]


def _body_suspension(data: NoticeData) -> list:
    accepted = f"本机关于{cn_date(data.accepted_on)}受理后" if data.accepted_on else "本机关受理后"
    reason = data.reason.strip().rstrip("。")
    return [
        _addressee(data),
        _p(f"你（单位）{_received(data)}提出的{data.item_name}申请，{accepted}依法进行审查。因{reason}，"
           f"需要进行{data.procedure}。"),
        _p(f"根据{LICENSING_LAW}第四十五条的规定，{data.procedure}所需时间不计入办理时限。{data.procedure}自"
           f"{cn_date(data.started_on)}开始，所需时间预计至{cn_date(data.expected_end_on)}。"
           f"{data.procedure}结束后恢复计时，本机关将告知调整后的办结日期。"),
    ]


def _hearing_addressee(data: NoticeData) -> Paragraph:
    names = "、".join((data.applicant_name, *data.parties))
    return _p(f"{names}：", "to")


def _body_hearing_right(data: NoticeData) -> list:
    accepted = f"本机关于{cn_date(data.accepted_on)}受理的" if data.accepted_on else "本机关受理的"
    return [
        _hearing_addressee(data),
        _p(f"{accepted}{data.applicant_name}提出的{data.item_name}申请，经审查，直接涉及申请人与他人之间重大利益"
           f"关系：{data.reason.strip().rstrip('。')}。"),
        _p(f"根据{LICENSING_LAW}第四十七条的规定，申请人、利害关系人有权要求听证。要求听证的，请于"
           f"{cn_date(data.due_on)}前（被告知之日起五日内，期间最后一日为法定休假日的顺延至其后第一个工作日）"
           "向本机关书面提出；逾期未提出的，视为放弃听证。"),
        _p("本机关将在收到听证申请之日起二十个工作日内组织听证，并于举行听证的七日前通知听证的时间、地点。"
           "申请人、利害关系人不承担行政机关组织听证的费用。听证所需时间不计入办理时限（第四十五条）。"),
    ]


def _body_hearing_notice(data: NoticeData) -> list:
    return [
        _hearing_addressee(data),
        _p(f"根据{data.requested_by}的申请，本机关定于{data.hearing_time}在{data.place}就{data.item_name}申请"
           f"公开举行听证，听证主持人：{data.presiding}。"),
        _p(f"根据{LICENSING_LAW}第四十八条的规定：申请人、利害关系人认为主持人与该许可事项有直接利害关系的，"
           "有权申请回避；举行听证时，审查该申请的工作人员提供审查意见的证据、理由，申请人、利害关系人可以提出"
           "证据，并进行申辩和质证；听证笔录交听证参加人确认无误后签字或者盖章。本机关将根据听证笔录作出行政许可"
           "决定。"),
    ]


def _body_extension(data: NoticeData) -> list:
    accepted = f"本机关于{cn_date(data.accepted_on)}受理" if data.accepted_on else "本机关受理"
    approver = data.approved_by or "本机关负责人"
    return [
        _addressee(data),
        _p(f"你（单位）{_received(data)}提出的{data.item_name}申请，{accepted}。因{data.reason.strip().rstrip('。')}，"
           f"不能在法定期限内作出决定。经{approver}批准，根据{LICENSING_LAW}第四十二条的规定，"
           f"办理期限延长{data.extension_days}个工作日，至{cn_date(data.legal_due_on)}届满。"),
        _p("法定节假日不计入办理期限；依法需要听证、检验、检测、鉴定、专家评审的，所需时间不计入办理期限。"),
    ]


def _body_application_form(data: NoticeData) -> list:
    cells = [[_p("项目", "cellhead"), _p("填写内容", "cellhead")]]
    cells += [[_p(label, "cell"), Paragraph("<br/>".join(_markup(line) for line in value.split("\n")), STYLES["cell"])]
              for label, value in data.answers]
    table = Table(cells, colWidths=[45 * mm, FRAME_W - 45 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
    ]))
    return [_p(f"申请人{data.applicant_name}申请办理“{data.item_name}”，填写申请表如下，"
               "申请人对所填内容的真实性负责。"), Spacer(1, 3 * mm), table]


BODIES = {
    NoticeKind.APPLICATION_FORM: _body_application_form,
    NoticeKind.ACCEPTANCE: _body_acceptance,
    NoticeKind.CORRECTION: _body_correction,
    NoticeKind.REFUSAL: _body_refusal,
    NoticeKind.APPROVAL: _body_approval,
    NoticeKind.DENIAL: _body_denial,
    NoticeKind.SUSPENSION: _body_suspension,
    NoticeKind.HEARING_RIGHT: _body_hearing_right,
    NoticeKind.HEARING_NOTICE: _body_hearing_notice,
    NoticeKind.EXTENSION: _body_extension,
}


def _facts_rows(data: NoticeData) -> list[tuple[str, str]]:
    kind = NoticeKind(data.kind)
    rows = [
        ("办件编号", data.case_number),
        ("查询码", data.query_code),
        ("申请人", _applicant_text(data)),
        ("申请事项", data.item_name),
        ("承办部门", data.department),
        ("收件日期", cn_date(data.received_on)),
    ]
    if kind in (NoticeKind.ACCEPTANCE, NoticeKind.APPROVAL, NoticeKind.DENIAL):
        rows.append(("受理日期", cn_date(data.accepted_on)))
    if kind is NoticeKind.ACCEPTANCE:
        rows.append(("承诺办结日期", cn_working_day_date(data.due_on, data.due_on_provisional)))
    if kind is NoticeKind.CORRECTION:
        rows.append(("补正期限", cn_date(data.correction_due_on)))
    if kind is NoticeKind.SUSPENSION:
        rows += [("特别程序", data.procedure), ("开始日期", cn_date(data.started_on)),
                 ("预计结束日期", cn_date(data.expected_end_on))]
    if kind is NoticeKind.HEARING_RIGHT:
        rows += [("利害关系人", "、".join(data.parties)), ("申请听证期限", cn_date(data.due_on))]
    if kind is NoticeKind.HEARING_NOTICE:
        rows += [("听证时间", data.hearing_time), ("听证地点", data.place), ("听证主持人", data.presiding)]
    if kind is NoticeKind.EXTENSION:
        rows += [("受理日期", cn_date(data.accepted_on)), ("延长期限", f"{data.extension_days}个工作日"),
                 ("延长后届满日期", cn_date(data.legal_due_on))]
    return rows


def _signature(data: NoticeData) -> list:
    return [
        Spacer(1, 10 * mm),
        _p(data.department, "sign"),
        _p("（印章）", "sign"),
        _p(cn_date(data.issued_on), "sign"),
    ]


def _footer(data: NoticeData):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFillColor(MUTED)
        y = MARGIN_BOTTOM - 9 * mm
        _draw_mixed(canvas, MARGIN_X, y, f"{data.heading}　编号 {data.case_number}　查询码 {data.query_code}", 8.5)
        _draw_mixed(canvas, PAGE_W - MARGIN_X, y, f"第 {doc.page} 页", 8.5, right=True)
        _draw_mixed(canvas, MARGIN_X, y - 4 * mm, f"办理进度查询：{data.tracking_url}", 8.5)
        canvas.restoreState()

    return draw


def render_notice(data: NoticeData) -> bytes:
    """The notice as a PDF document (A4), ready to print or download."""
    check_notice(data)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{data.heading} {data.case_number}",
        author=data.center_name,
        subject=data.item_name,
        creator="onewindow 一窗通办",
        # Same data, same bytes: a re-download is identical to the copy handed out at the window.
        invariant=True,
    )
    flow = _header(data)
    flow += BODIES[NoticeKind(data.kind)](data)
    flow += [_p(line) for line in data.lines]
    # The facts and the signature move to the next page together rather than leave the seal alone.
    flow.append(KeepTogether([
        Spacer(1, 4 * mm),
        _facts(data, _facts_rows(data)),
        Spacer(1, 2 * mm),
        _p(f"可凭办件编号和查询码访问 {data.tracking_url.split('?')[0]} 或扫描右上角二维码查询办理进度。", "note"),
        *_signature(data),
    ]))
    footer = _footer(data)
    doc.build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# -- from a case of the engine ---------------------------------------------------------------------------


def decision_of(case) -> str:
    """'approve' or 'deny' once the case is decided, else ''; read from the audit chain, which outlives the state."""
    from onewindow.cases.selectors import case_timeline

    if case.decided_on is None:
        return ""
    action = (
        case_timeline(case).filter(action__in=["case.approve", "case.deny"]).values_list("action", flat=True).last()
    )
    return (action or "").removeprefix("case.")


def available_notices(case) -> list[NoticeKind]:
    """The notices this case can print now, in the order they were issued."""
    from onewindow.cases.lifecycle import State

    kinds = []
    if case.form_version_id and case.answers:
        kinds.append(NoticeKind.APPLICATION_FORM)
    if case.accepted_on is not None:
        kinds.append(NoticeKind.ACCEPTANCE)
    if case.corrections.exists():
        kinds.append(NoticeKind.CORRECTION)
    if case.state == State.NOT_ACCEPTED:
        kinds.append(NoticeKind.REFUSAL)
    if _procedure(case) is not None:
        kinds.append(NoticeKind.SUSPENSION)
    hearing = case.hearings.order_by("-id").first()
    if hearing is not None:
        kinds.append(NoticeKind.HEARING_RIGHT)
        if hearing.hearing_at is not None:
            kinds.append(NoticeKind.HEARING_NOTICE)
    if hasattr(case, "extension"):
        kinds.append(NoticeKind.EXTENSION)
    decision = decision_of(case)
    if decision == "approve":
        kinds.append(NoticeKind.APPROVAL)
    elif decision == "deny":
        kinds.append(NoticeKind.DENIAL)
    return sorted(kinds, key=NOTICE_ORDER.index)


def _procedure(case):
    """The latest special procedure other than a hearing (a hearing has its own notices)."""
    from onewindow.cases.models import SuspensionKind

    return case.suspensions.exclude(kind=SuspensionKind.HEARING).order_by("-started_on", "-id").first()


def _hearing_data(case, kind: NoticeKind) -> dict:
    """What the hearing notices print, from the case's latest hearing."""
    from django.utils import timezone

    hearing = case.hearings.select_related("presiding_officer").order_by("-id").first()
    parties = tuple(line.strip() for line in hearing.interested_parties.splitlines() if line.strip())
    data = {"parties": parties, "reason": hearing.matter, "due_on": hearing.request_due_on,
            "issued_on": hearing.notified_on}
    if kind is NoticeKind.HEARING_NOTICE:
        local = timezone.localtime(hearing.hearing_at)
        data.update(hearing_time=f"{cn_date(local.date())} {local:%H:%M}", place=hearing.place,
                    presiding=str(hearing.presiding_officer), requested_by=hearing.requested_by_name,
                    issued_on=hearing.place_notified_on, due_on=None)
    return data


def _hearing_line(case) -> tuple[str, ...]:
    """第四十八条第二款: a decision after a hearing says it rests on the hearing's record."""
    from onewindow.cases.models import HearingState

    hearing = case.hearings.filter(state=HearingState.HELD).order_by("-id").first()
    if hearing is None or hearing.held_on is None:
        return ()
    return (f"本机关于{cn_date(hearing.held_on)}就本申请举行了听证，本决定根据听证笔录作出"
            f"（{LICENSING_LAW}第四十八条第二款）。",)


def notice_for_case(case, kind: NoticeKind | str) -> NoticeData:
    """The `NoticeData` of one notice of a case; InvalidInput if the case has no such notice (yet)."""
    from django.conf import settings
    from django.utils import timezone

    kind = NoticeKind(kind)
    if kind not in available_notices(case):
        raise InvalidInput(f"本办件没有{kind.title}", code=ErrorCode.NO_SUCH_NOTICE, fields={"kind": kind.value})
    version = case.item_version
    base = {
        "kind": kind,
        "center_name": settings.CENTER_NAME,
        "case_number": case.number,
        "query_code": case.query_code,
        "applicant_name": case.applicant_name,
        "applicant_id": mask_identity(case.applicant_id_number),
        "item_name": version.name,
        "department": case.department.name,
        "tracking_url": tracking_url(public_base_url(), case.number, case.query_code),
        "received_on": case.submitted_on,
        "accepted_on": case.accepted_on,
        "promised_days": case.promised_days,
    }
    if kind is NoticeKind.ACCEPTANCE:
        promise = f"承诺于{cn_date(case.tolerance_due_on)}前补交" if case.tolerance_due_on else "承诺补交"
        tolerated = tuple(MaterialLine(entry["name"], promise) for entry in case.tolerated_materials or ())
        from onewindow.workdays.selectors import is_provisional

        issued_on = timezone.localdate(case.accepted_at) if case.accepted_at else case.accepted_on
        return NoticeData(**base, issued_on=issued_on, due_on=case.due_on,
                          due_on_provisional=is_provisional(case.due_on), materials=tolerated,
                          deemed_accepted=case.deemed_accepted)
    if kind is NoticeKind.APPLICATION_FORM:
        from onewindow.forms.display import rows
        from onewindow.forms.selectors import spec_of

        answers = tuple((row.label, "\n".join(row.lines) or row.value)
                        for row in rows(spec_of(case.form_version), case.answers))
        issued = timezone.localdate(case.submitted_at) if case.submitted_at else timezone.localdate(case.created_at)
        return NoticeData(**{**base, "accepted_on": None}, issued_on=issued, answers=answers)
    if kind is NoticeKind.EXTENSION:
        extension = case.extension
        return NoticeData(**base, issued_on=timezone.localdate(extension.approved_at), reason=extension.reason,
                          extension_days=extension.days, legal_due_on=extension.new_legal_due_on or case.legal_due_on,
                          due_on=extension.new_due_on)
    if kind is NoticeKind.CORRECTION:
        correction = case.corrections.order_by("-id").first()
        issued = timezone.localdate(correction.requested_at)
        materials = tuple(MaterialLine(line["name"], line["problem"]) for line in correction.items)
        lines = (f"说明：{correction.note}",) if correction.note else ()
        return NoticeData(**{**base, "accepted_on": None}, issued_on=issued, materials=materials, lines=lines)
    if kind is NoticeKind.REFUSAL:
        closed = timezone.localdate(case.closed_at) if case.closed_at else timezone.localdate()
        return NoticeData(**{**base, "accepted_on": None}, issued_on=closed, reason=case.closed_reason,
                          legal_basis=case.legal_basis)
    if kind is NoticeKind.SUSPENSION:
        procedure = _procedure(case)
        return NoticeData(**base, issued_on=procedure.started_on, procedure=procedure.get_kind_display(),
                          reason=procedure.reason, started_on=procedure.started_on,
                          expected_end_on=procedure.expected_end_on)
    if kind in (NoticeKind.HEARING_RIGHT, NoticeKind.HEARING_NOTICE):
        return NoticeData(**base, **_hearing_data(case, kind))
    return NoticeData(
        **base, issued_on=case.decided_on, reason=case.decision_reason,
        legal_basis=case.legal_basis or version.legal_basis, result_name=version.result_name,
        lines=_hearing_line(case),
    )


def render_case_notice(case, kind: NoticeKind | str) -> tuple[bytes, str]:
    """(PDF bytes, filename) of a case's notice, in Chinese whatever the reader's language: it is a legal document."""
    with translation.override(settings.LANGUAGE_CODE):
        data = notice_for_case(case, kind)
        return render_notice(data), notice_filename(data)
