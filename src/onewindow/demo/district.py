"""The demo district: a deterministic catalog shaped like 渝中区 in 2018, in the docs/catalog-format.md format.

Pure Python (no Django import), so it is tested without a database and fed to `catalog.importexport.import_catalog`.
"""

from __future__ import annotations

import random
from collections import Counter

from onewindow.core.identity import uscc_check_char
from onewindow.demo.forms_data import theme_item_names, top_item_names
from onewindow.demo.templates_data import (
    CJ,
    DEPARTMENTS,
    DISTRICT_HALLS,
    GF,
    GG,
    ID_LEGAL,
    ID_PERSON,
    ITEM_TYPE_ABBR,
    ITEM_TYPE_CODES,
    JC,
    JL,
    LICENSE,
    QR,
    QT,
    SITUATION_KIND,
    STREETS,
    TEMPLATES,
    THEMES,
    XK,
    ZS,
    DepartmentSpec,
    Template,
)

FORMAT = "onewindow-catalog/1"
REGION_CODE = "500103"  # 重庆市渝中区
CENTER_CODE = "YZ"
CENTER_NAME = "渝中区行政服务中心"
CENTER_ADDRESS = "重庆市渝中区中山三路131号"
CENTER_HOURS = "工作日 9:00-12:00，13:00-17:00（周六 9:00-12:00 延时服务）"
STREET_HOURS = "工作日 9:00-12:00，14:00-17:30"
COMMUNITY_HOURS = "工作日 9:00-12:00，14:00-17:30；自助终端全天开放"
COMPLAINT_PHONE = "12345"
# 2018 渝中区: average promised 9.37 working days, 54 % shorter than statutory.
TARGET_AVERAGE_PROMISED = 9.37

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_CONDITIONS = {
    XK: "申请人具备法定主体资格，具备与申请事项相适应的场所、设施、人员和管理制度；申请材料齐全、符合法定形式。",
    QR: "申请人为权利人或利害关系人，提交的证明材料真实、有效。",
    GF: "申请人符合给付对象条件，如实申报家庭人口、收入和财产状况。",
    ZS: "依法负有缴纳义务的单位或个人。",
    CJ: "申请人与争议事项有直接利害关系，有明确的请求和事实根据，争议属于本机关管辖范围。",
    JL: "单位或个人事迹真实，符合奖励条件，经公示无异议。",
    JC: "属于本部门依法监督检查范围的单位或个人。",
    QT: "申请人符合备案（办理）条件，提交的材料真实、完整。",
    GG: "符合服务对象条件的个人或单位均可申请。",
}
_RESULT_TYPES = {GF: "给付决定", ZS: "缴款凭证", CJ: "裁决书", JL: "奖励决定", JC: "检查结论", QT: "备案回执", GG: "办理结果"}
# Material names that a government body issues, and which one: fetched by data sharing (免提交).
_GOVERNMENT_ISSUED = (
    ("营业执照", "市场监管部门"),
    ("居民身份证", "公安机关"),
    ("户口簿", "公安机关"),
    ("不动产权证书", "不动产登记机构"),
    ("结婚证", "婚姻登记机关"),
    ("残疾人证", "残疾人联合会"),
    ("建设工程规划许可证", "规划自然资源部门"),
    ("建设用地规划许可证", "规划自然资源部门"),
    ("建筑工程施工许可证", "住房城乡建设部门"),
    ("社会保障卡", "人力社保部门"),
    ("医疗机构执业许可证", "卫生健康部门"),
    ("出生医学证明", "卫生健康部门"),
    ("无犯罪记录证明", "公安机关"),
    ("机动车驾驶证", "公安交通管理部门"),
    ("食品经营许可证", "市场监管部门"),
)


def build_district(seed: int = 2018) -> dict:
    """The whole demo catalog for `seed`: departments, service points with halls, items, themes."""
    rng = random.Random(seed)
    departments = [_department(spec, rng) for spec in DEPARTMENTS]
    service_points = _service_points(rng)
    items = _items(rng, {d["code"]: d for d in departments})
    _calibrate_promised(items, rng)
    for item in items:
        item["steps"] = _steps(item, rng)
    themes = _themes(items)
    return {
        "format": FORMAT,
        "departments": departments,
        "service_points": service_points,
        "items": items,
        "themes": themes,
    }


def district_figures(data: dict) -> dict:
    """The headline figures of a generated district (what the center would report)."""
    departments = data["departments"]
    items = data["items"]
    statutory = sum(i["statutory_days"] for i in items)
    promised = sum(i["promised_days"] for i in items)
    halls = [h for p in data["service_points"] for h in p["halls"]]
    return {
        "departments": len(departments),
        "with_approval_functions": sum(d["has_approval_functions"] for d in departments),
        "functions_concentrated": sum(d["functions_concentrated"] for d in departments),
        "unit_stationed": sum(d["unit_stationed"] for d in departments),
        "window_authorized": sum(d["window_authorized"] for d in departments),
        "district_centers": sum(p["level"] == "district" for p in data["service_points"]),
        "street_centers": sum(p["level"] == "street" for p in data["service_points"]),
        "communities": sum(p["level"] == "community" for p in data["service_points"]),
        "halls": len(halls),
        "self_service_areas": sum(h["self_service"] for h in halls),
        "items": len(items),
        "items_by_type": dict(Counter(i["item_type"] for i in items)),
        "instant_items": sum(i["case_kind"] == "instant" for i in items),
        "fully_online_items": sum(i["online_depth"] == 4 for i in items),
        "average_promised_days": round(promised / len(items), 2),
        "average_statutory_days": round(statutory / len(items), 2),
        "compression": round(1 - promised / statutory, 3),
        "themes": len(data["themes"]),
    }


# -- departments and places -------------------------------------------------------------------------


def _credit_code(rng: random.Random, org_kind: str) -> str:
    """A valid 统一社会信用代码 for a body registered in 渝中区 (GB 32100, with a GB 11714 organization code)."""
    body = "".join(str(rng.randrange(10)) for _ in range(8))
    check = 11 - sum(int(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    org_code = body + {10: "X", 11: "0"}.get(check, str(check))
    first17 = org_kind + REGION_CODE + org_code
    return first17 + uscc_check_char(first17)


def _phone(rng: random.Random) -> str:
    return f"023-63{rng.randrange(100000, 1000000)}"


def _department(spec: DepartmentSpec, rng: random.Random) -> dict:
    return {
        "code": spec.code,
        "name": spec.name,
        "short_name": spec.short_name,
        "credit_code": _credit_code(rng, spec.org_kind),
        "has_approval_functions": spec.approval,
        "functions_concentrated": spec.concentrated,
        "unit_stationed": spec.stationed,
        "window_authorized": spec.authorized,
        "has_approval_seal": spec.stationed,
        "phone": _phone(rng)
    }


def _service_points(rng: random.Random) -> list[dict]:
    center = {
        "code": CENTER_CODE,
        "name": CENTER_NAME,
        "level": "district",
        "parent": None,
        "address": CENTER_ADDRESS,
        "hours": CENTER_HOURS,
        "phone": "023-63891234",
        "halls": [
            {"code": f"{CENTER_CODE}-{suffix}", "name": name, "floor": floor, "hours": hours, "self_service": self_service}
            for suffix, name, floor, self_service, hours in DISTRICT_HALLS
        ],
    }
    points = [center]
    for code, street, road, communities in STREETS:
        street_code = f"{CENTER_CODE}-{code}"
        points.append({
            "code": street_code,
            "name": f"{street}便民服务中心",
            "level": "street",
            "parent": CENTER_CODE,
            "address": f"重庆市渝中区{road}{rng.randrange(1, 300)}号",
            "hours": STREET_HOURS,
            "phone": _phone(rng),
            "halls": [
                {"code": f"{street_code}-ZH", "name": "综合受理区", "floor": "1F", "hours": "", "self_service": False},
                {"code": f"{street_code}-ZZ", "name": "自助区", "floor": "1F", "hours": "全天24小时开放", "self_service": True},
            ],
        })
        for number, community in enumerate(communities, start=1):
            community_code = f"{street_code}-{number:02d}"
            points.append({
                "code": community_code,
                "name": f"{community}社区便民服务站",
                "level": "community",
                "parent": street_code,
                "address": f"重庆市渝中区{street}{community}社区居委会{rng.randrange(1, 4)}楼",
                "hours": COMMUNITY_HOURS,
                "phone": _phone(rng),
                "halls": [
                    {"code": f"{community_code}-ZZ", "name": "自助服务点", "floor": "1F", "hours": "全天24小时开放",
                     "self_service": True},
                ],
            })
    return points


# -- items ------------------------------------------------------------------------------------------


def _situation_kind(situation: str) -> str:
    """new / change / renew / cancel for a 业务办理项 label; a category label (幼儿园, 一孩…) is a new application."""
    if not situation:
        return "new"
    if situation in SITUATION_KIND:
        return SITUATION_KIND[situation]
    for word, kind in (("注销", "cancel"), ("终止", "cancel"), ("撤销", "cancel"), ("变更", "change"), ("补", "change"),
                       ("换", "change"), ("延", "renew")):
        if word in situation:
            return kind
    return "new"


def _hall_windows() -> dict[tuple[str, str], int]:
    """Window numbers in the district center: each department's windows in each hall it serves in."""
    windows: dict[tuple[str, str], int] = {}
    counters: Counter = Counter()
    for spec in DEPARTMENTS:
        used = [spec.hall] + [t.extra["hall"] for t in TEMPLATES[spec.code] if "hall" in t.extra]
        for hall in used:
            if (spec.code, hall) not in windows:
                counters[hall] += 1
                windows[(spec.code, hall)] = counters[hall]
    return windows


def _handling_place(spec: DepartmentSpec, template: Template, windows: dict[tuple[str, str], int]) -> str:
    if template.level == "street":
        return "各街道便民服务中心综合受理区（就近办理）"
    if template.level == "community":
        return "各社区便民服务站"
    hall = template.extra.get("hall", spec.hall)
    suffix, name, floor, *_ = next(h for h in DISTRICT_HALLS if h[0].endswith(f"-{hall}"))
    return f"{CENTER_ADDRESS} {CENTER_NAME}{floor}{name}{windows[(spec.code, hall)]}号窗口（{spec.short_name}）"


def _government_issuer(name: str) -> str:
    if "声明" in name or "或" in name:
        return ""
    for key, issuer in _GOVERNMENT_ISSUED:
        if key in name:
            return issuer
    return ""


def _material(name: str, rng: random.Random, *, requirement: str = "required", form: str = "") -> dict:
    issuer = _government_issuer(name)
    if issuer:
        return {"name": name, "form": "electronic", "copies": 1, "requirement": requirement, "source": "government",
                "issuer": issuer, "notes": "通过政务数据共享获取，申请人无需提交"}
    if not form:
        form = rng.choices(("original", "copy", "original_copy"), weights=(5, 3, 2))[0]
    copies = 2 if form == "copy" and rng.random() < 0.2 else 1
    notes = ""
    if requirement == "tolerated":
        notes = "可容缺受理：申请人书面承诺后，于5个工作日内补交"
    elif requirement == "optional":
        notes = "委托他人办理的提供"
    return {"name": name, "form": form, "copies": copies, "requirement": requirement, "source": "applicant",
            "issuer": "", "notes": notes}


def _materials(template: Template, base: str, kind: str, result: str, rng: random.Random) -> list[dict]:
    """3–10 materials: the form, identity, licence, the template's own, and 容缺 for a non-key one sometimes."""
    person = template.objects == "自然人"
    identity = ID_PERSON if person else ID_LEGAL
    needs_license = not template.registers and "企业" in template.objects
    license_requirement = "required" if template.objects == "企业法人" else "optional"
    own = [m for m in template.materials if m != LICENSE or template.registers]
    has_own_form = bool(own) and any(word in own[0] for word in ("申请书", "申请表", "登记表", "申报表"))
    rows: list[dict] = []
    form_label = {"new": "申请表", "change": "变更申请表", "renew": "延续申请表", "cancel": "注销申请表"}[kind]
    if kind == "new" and has_own_form:
        rows.append(_material(own.pop(0), rng, form="original"))
    else:
        rows.append(_material(f"{base}{form_label}", rng, form="original"))
    rows.append(_material(identity, rng))
    if needs_license:
        rows.append(_material(LICENSE, rng, requirement=license_requirement))
    if kind == "new":
        specific = own[:6]
        tolerable = [i for i, name in enumerate(specific) if i > 0 and not _government_issuer(name)]
        if has_own_form:
            tolerable = [i for i, name in enumerate(specific) if not _government_issuer(name)]
        tolerated = rng.choice(tolerable) if tolerable and rng.random() < 0.4 else None
        for i, name in enumerate(specific):
            rows.append(_material(name, rng, requirement="tolerated" if i == tolerated else "required"))
    elif kind == "change":
        rows.append(_material(f"原{result}", rng, form="original"))
        rows.append(_material("变更事项相关证明材料", rng, requirement="tolerated" if rng.random() < 0.3 else "required"))
    elif kind == "renew":
        rows.append(_material(f"原{result}", rng, form="original"))
        rows.append(_material("上一有效期内执行情况说明", rng, requirement="tolerated" if rng.random() < 0.3 else "required"))
    else:
        rows.append(_material(f"原{result}（正本、副本）", rng, form="original"))
    if template.item_type not in (JC, ZS, JL):
        rows.append(_material("授权委托书及受托人身份证明", rng, requirement="optional", form="original"))
    unique: dict[str, dict] = {}
    for row in rows:
        unique.setdefault(row["name"], row)
    rows = list(unique.values())[:10]
    while len(rows) < 3:
        rows.append(_material(("其他需要说明的材料", "申请事项情况说明")[len(rows) % 2], rng, requirement="optional"))
    return rows


# The items with an application form (电子申请表) whose real-world counterparts are applied for online on the
# government service platforms (重庆市网上办事大厅 and the like: most 许可 are 全程网办 or 网上预审, as are 备案, 登记
# and 社保转移): offered online in the demo (全程网办, depth 4) so each form can be tried as an applicant would. An
# inspection (行政检查) is started by the authority, never applied for, so it stays off.
ONLINE_WITH_FORM = frozenset(theme_item_names()) | frozenset(top_item_names())


def _online_depth(template: Template, instant: bool, rng: random.Random) -> int:
    if template.item_type in (JC, CJ):
        weights = (20, 50, 30, 0)
    elif instant:
        weights = (0, 10, 40, 50)
    elif template.site_check:
        weights = (2, 18, 80, 0)
    else:
        weights = (2, 13, 50, 35)
    return rng.choices((1, 2, 3, 4), weights=weights)[0]


def _promised_first_guess(statutory: int, kind: str, rng: random.Random) -> int:
    low, high = {"new": (0.50, 0.70), "change": (0.35, 0.55), "renew": (0.45, 0.65), "cancel": (0.15, 0.30)}[kind]
    return max(1, min(statutory, round(statutory * rng.uniform(low, high))))


def _items(rng: random.Random, departments: dict[str, dict]) -> list[dict]:
    windows = _hall_windows()
    main_numbers: Counter = Counter()
    items: list[dict] = []
    for spec in DEPARTMENTS:
        for template in TEMPLATES[spec.code]:
            main_numbers[template.item_type] += 1
            main = main_numbers[template.item_type]
            situations = template.situations or ("",)
            for sub, situation in enumerate(situations, start=1 if template.situations else 0):
                kind = _situation_kind(situation)
                items.append(_item(spec, template, situation, kind, main, sub, departments[spec.code], windows, rng))
    return items


def _item(spec: DepartmentSpec, template: Template, situation: str, kind: str, main: int, sub: int,
          department: dict, windows: dict[tuple[str, str], int], rng: random.Random) -> dict:
    credit_code, phone = department["credit_code"], department["phone"]
    item_type = template.item_type
    name = f"{template.name}（{situation}）" if situation else template.name
    # 注销 of a licence is often decided on the spot: the spec wants 即办 for simple items.
    instant = template.instant or (kind == "cancel" and item_type in (XK, QR, QT) and rng.random() < 0.4)
    statutory = template.statutory
    promised = 0 if instant else template.extra.get("promised") or _promised_first_guess(statutory, kind, rng)
    result = template.result
    result_name = "准予注销决定书" if kind == "cancel" and item_type == XK else result
    if item_type == XK:
        result_type = "许可证" if result.endswith("证") else "证照" if result.endswith("执照") else "批准文件"
    elif item_type == QR:
        result_type = "证书" if result.endswith(("证", "证书")) else "证明"
    else:
        result_type = _RESULT_TYPES[item_type]
    depth = _online_depth(template, instant, rng)  # drawn for every item, so the others' figures stay the same
    if name in ONLINE_WITH_FORM and item_type != JC:
        depth = 4
    if depth == 4:
        visits = 0
    elif depth == 3 or not (template.site_check or item_type == CJ):
        visits = 1
    else:
        visits = 2 if rng.random() < 0.5 else 1
    nearby = template.nearby or template.level != "district"
    modes = [mode for mode, on in (("immediate", instant), ("online", depth == 4), ("nearby", nearby),
                                   ("one_visit", visits <= 1)) if on]
    delivery = ["pickup"] + ([] if instant else ["post"]) + (["electronic"] if depth == 4 else [])
    conditions = template.conditions or _CONDITIONS[item_type]
    conditions += {
        "new": "",
        "change": f"已取得{result}，登记事项发生变化的，应在变化之日起30日内申请变更。",
        "renew": f"{result}有效期届满30个工作日前提出延续申请。",
        "cancel": "依法终止经营、有效期届满未延续或者依法被撤销、撤回的，申请注销。",
    }[kind]
    legal_basis = template.basis
    if item_type == XK and "行政许可法" not in legal_basis:
        legal_basis += "；《中华人民共和国行政许可法》第二十九条至第四十五条"
    if instant:
        note = "即办件：申请材料齐全、符合法定形式的，当场办结"
    else:
        note = f"法定办结时限{statutory}个工作日，承诺办结时限{promised}个工作日"
        if template.site_check or item_type == CJ:
            note += "；现场核查、检测、专家评审、听证等特别程序时间不计入办理时限"
    central = item_type != JC and (spec.concentrated or rng.random() < 0.6)
    fee_amount, fee_basis = template.fee if template.fee else (None, "")
    level_digit = {"district": "4", "street": "5", "community": "6"}[template.level]
    return {
        "implementation_code": f"{credit_code}{ITEM_TYPE_CODES[item_type]}{main:05d}000{sub:02d}{level_digit}",
        "basic_code": f"{ITEM_TYPE_ABBR[item_type]}{main:05d}000",
        "department": spec.code,
        "name": name,
        "item_type": item_type,
        "level": template.level,
        "legal_basis": legal_basis,
        "conditions": conditions,
        "service_objects": template.objects,
        "statutory_days": statutory,
        "promised_days": promised,
        "time_limit_note": note,
        "max_extension_days": 0 if instant else {XK: 10, CJ: 15, QR: 10, GF: 10}.get(item_type, 0),
        "case_kind": "instant" if instant else "promised",
        "visits": visits,
        "modes": modes,
        "online_depth": depth,
        "fee_free": fee_amount is None,
        "fee_amount": fee_amount,
        "fee_basis": fee_basis,
        "handling_place": _handling_place(spec, template, windows),
        "handling_hours": {"district": CENTER_HOURS, "street": STREET_HOURS, "community": COMMUNITY_HOURS}[template.level],
        "result_type": result_type,
        "result_name": result_name,
        "delivery": delivery,
        "central_acceptance": central,
        "online_platform": depth >= 2,
        "supervising_department": (template.supervisor or spec.code) if item_type == XK else None,
        "consult_phone": phone,
        "complaint_phone": COMPLAINT_PHONE,
        "change_reason": "首次发布",
        "materials": _materials(template, template.name, kind, result, rng),
        "steps": [],
        "_site_check": template.site_check,
        "_fixed": "promised" in template.extra,
    }


def _calibrate_promised(items: list[dict], rng: random.Random) -> None:
    """Nudge promised limits by a day at a time until their average is the reported 9.37 working days."""
    target = round(TARGET_AVERAGE_PROMISED * len(items))
    fixed = [item.pop("_fixed") for item in items]
    candidates = [i for i, item in enumerate(items) if item["case_kind"] == "promised" and not fixed[i]]
    rng.shuffle(candidates)
    total = sum(item["promised_days"] for item in items)
    moved = True
    while total != target and moved:
        moved = False
        step = 1 if total < target else -1
        for index in candidates:
            item = items[index]
            new = item["promised_days"] + step
            # Stay a promise worth making: at least a day, at most 70 % of the statutory limit.
            if 1 <= new <= max(1, int(item["statutory_days"] * 0.7)):
                item["promised_days"] = new
                total += step
                moved = True
                if total == target:
                    break
    for item in items:
        if item["case_kind"] == "promised":
            note = f"法定办结时限{item['statutory_days']}个工作日，承诺办结时限{item['promised_days']}个工作日"
            rest = item["time_limit_note"].split("；", 1)
            item["time_limit_note"] = note + (f"；{rest[1]}" if len(rest) > 1 else "")


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def _steps(item: dict, rng: random.Random) -> list[dict]:
    """受理 → 审查 → 决定 → 送达, splitting the promised days in half-day units (0 for 即办件)."""
    promised = item["promised_days"]
    site_check = item.pop("_site_check")
    result = item["result_name"]
    if promised == 0:
        days = [0, 0, 0, 0]
    else:
        units = promised * 2
        accept = 1 if promised <= 3 else 2
        deliver = 1 if promised <= 3 else 2
        if units < 4:
            accept, deliver = (1, 0) if units == 2 else (1, 1)
        rest = units - accept - deliver
        decide = max(1 if rest >= 2 else 0, round(rest * rng.uniform(0.2, 0.35)))
        review = rest - decide
        days = [accept / 2, review / 2, decide / 2, deliver / 2]
    review_text = "对申请材料进行实质审查"
    if site_check:
        review_text += "，组织现场核查"
    return [
        {"name": "受理", "role": "accept", "days": _number(days[0]),
         "description": "窗口核对申请材料：齐全、符合法定形式的当场受理；需补正的一次性告知全部内容"},
        {"name": "审查", "role": "review", "days": _number(days[1]), "description": review_text},
        {"name": "决定", "role": "decide", "days": _number(days[2]),
         "description": f"作出准予或不予办理的决定；准予的制发{result}"},
        {"name": "送达", "role": "deliver", "days": _number(days[3]),
         "description": "窗口领取、免费邮寄或电子送达" if item["case_kind"] == "promised" else "当场送达"},
    ]


# -- themes -----------------------------------------------------------------------------------------


def _themes(items: list[dict]) -> list[dict]:
    by_name = {item["name"]: item for item in items}
    themes = []
    for spec in THEMES:
        entries = [{"item": by_name[name]["implementation_code"],
                    "requires": [by_name[r]["implementation_code"] for r in requires]}
                   for name, requires in spec["items"]]
        promised = {by_name[name]["implementation_code"]: by_name[name]["promised_days"] for name, _ in spec["items"]}
        themes.append({
            "code": spec["code"],
            "name": spec["name"],
            "description": spec["description"],
            "lead_department": spec["lead"],
            "promised_days": critical_path_days(entries, promised),
            "items": entries,
        })
    return themes


def critical_path_days(entries: list[dict], promised: dict[str, int]) -> int:
    """Longest chain of promised days through the prerequisites: items without a path between them run in parallel."""
    finish: dict[str, int] = {}

    def done(code: str, trail: tuple[str, ...]) -> int:
        if code in trail:
            raise ValueError(f"前置事项存在循环：{' → '.join(trail + (code,))}")
        if code not in finish:
            requires = next(e["requires"] for e in entries if e["item"] == code)
            finish[code] = promised[code] + max((done(r, trail + (code,)) for r in requires), default=0)
        return finish[code]

    return max(done(entry["item"], ()) for entry in entries)
