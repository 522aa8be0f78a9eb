"""The demo district's application forms (电子申请表), declared in one place: the shared data element dictionary
(共享数据元), a form for every item of the four 一件事 themes and for the ten items the demo's single cases apply for
most, and the sample values the seeded cases answer with.

The forms follow the published application forms of the provincial platforms (食品经营许可申请书, 特种行业许可证申请登记表,
公众聚集场所投入使用、营业前消防安全检查申报表, 建设工程规划许可申请表…), shortened to the facts an approval is decided on.
Fields that mean the same thing on several forms map to one data element, so that a package's form (一表申请) asks
them once and the center prefills them (减填写). Plain data: `demo.forms` writes it through the forms' acts.
"""

from __future__ import annotations

from typing import Any

# -- the data element dictionary ------------------------------------------------------------------------------
# A licence held, one element per kind: the register fills it with the applicant's valid licence of that name only
# (source key "number:<证照名称>", the issuing item's 结果名称).
LICENCES = (
    ("fire_check_licence_number", "公众聚集场所投入使用、营业前消防安全检查合格证",
     "Fire safety inspection certificate (public venues)"),
    ("land_planning_licence_number", "建设用地规划许可证", "Land use planning permit"),
    ("works_planning_licence_number", "建设工程规划许可证", "Construction works planning permit"),
    ("hr_service_licence_number", "人力资源服务许可证", "Human resources service licence"),
    ("drug_retail_licence_number", "药品经营许可证", "Drug trading licence"),
    ("food_licence_number", "食品经营许可证", "Food business licence"),
)
# code: name_zh, name_en, kind, standard, prefill source, source key, authoritative. A standard is named only where a
# national one defines the element; the others are the center's own dictionary.
ELEMENTS: tuple[dict[str, Any], ...] = (
    {"code": "applicant_name", "name_zh": "申请人名称", "name_en": "Applicant name", "kind": "text",
     "standard": "", "source": "earlier_cases", "source_key": "", "authoritative": False},
    {"code": "credit_code", "name_zh": "统一社会信用代码", "name_en": "Unified social credit code",
     "kind": "credit_code", "standard": "GB 32100-2015《法人和其他组织统一社会信用代码编码规则》",
     "source": "earlier_cases", "source_key": "", "authoritative": False},
    {"code": "legal_representative", "name_zh": "法定代表人（负责人）", "name_en": "Legal representative",
     "kind": "text", "standard": "", "source": "earlier_cases", "source_key": "", "authoritative": False},
    {"code": "business_address", "name_zh": "经营场所", "name_en": "Business premises", "kind": "address",
     "standard": "GB/T 2260《中华人民共和国行政区划代码》（省、市、区县）", "source": "earlier_cases",
     "source_key": "", "authoritative": False},
    {"code": "floor_area", "name_zh": "经营面积", "name_en": "Floor area", "kind": "number", "standard": "",
     "source": "earlier_cases", "source_key": "", "authoritative": False},
    {"code": "employees", "name_zh": "从业人员数", "name_en": "Number of staff", "kind": "number", "standard": "",
     "source": "earlier_cases", "source_key": "", "authoritative": False},
    {"code": "contact_name", "name_zh": "联系人", "name_en": "Contact person", "kind": "text", "standard": "",
     "source": "account", "source_key": "display_name", "authoritative": False},
    {"code": "contact_id_number", "name_zh": "联系人居民身份证号码", "name_en": "Contact's identity number",
     "kind": "id_number", "standard": "GB 11643-1999《公民身份号码》", "source": "account",
     "source_key": "identity_number", "authoritative": True},
    {"code": "contact_mobile", "name_zh": "联系电话", "name_en": "Contact mobile", "kind": "mobile", "standard": "",
     "source": "account", "source_key": "mobile", "authoritative": False},
    {"code": "project_name", "name_zh": "项目名称", "name_en": "Project name", "kind": "text", "standard": "",
     "source": "earlier_cases", "source_key": "", "authoritative": False},
    {"code": "total_investment", "name_zh": "总投资", "name_en": "Total investment", "kind": "number",
     "standard": "", "source": "earlier_cases", "source_key": "", "authoritative": False},
    {"code": "building_area", "name_zh": "总建筑面积", "name_en": "Total building area", "kind": "number",
     "standard": "", "source": "earlier_cases", "source_key": "", "authoritative": False},
    *(
        {"code": code, "name_zh": f"{licence}编号", "name_en": f"{name_en} number", "kind": "text", "standard": "",
         "source": "licences", "source_key": f"number:{licence}", "authoritative": True}
        for code, licence, name_en in LICENCES
    ),
)

SQM = "平方米"


# The English of the labels a form gives a shared element its own way (公司名称 is not just “Applicant name”).
LABELS_EN = {
    "个体工商户名称": "Name of the individual business", "人力资源服务许可证编号": "Human resources service licence number",
    "住所": "Domicile", "公司名称": "Company name", "出质股权所在公司名称": "Company whose equity is pledged",
    "占地（经营）面积": "Site (business) area", "原建设用地规划许可证编号": "Former land-use planning permit number",
    "原药品经营许可证编号": "Former drug trading licence number", "参保人姓名": "Insured person's name",
    "参保人居民身份证号码": "Insured person's identity number", "场所使用面积": "Usable area of the premises",
    "建设工程规划许可证编号": "Construction project planning permit number",
    "建设用地规划许可证编号": "Land-use planning permit number", "抵押人居民身份证号码": "Mortgagor's identity number",
    "抵押人（购房人）": "Mortgagor (buyer)", "抵押权人（贷款银行）": "Mortgagee (lending bank)", "权利人": "Right holder",
    "权利人居民身份证号码": "Right holder's identity number",
    "消防安全检查合格证编号": "Fire safety inspection certificate number", "经营场所面积": "Area of the business premises",
    "经营者姓名": "Operator's name", "经营者居民身份证号码": "Operator's identity number",
    "营业执照或消防检查合格证编号": "Business licence or fire inspection certificate number", "营业面积": "Business area",
    "食品经营许可证编号": "Food business licence number", "企业名称": "Enterprise name", "单位名称": "Organisation name",
    "场所名称": "Name of the premises", "建设单位": "Developer", "排水户名称": "Name of the discharger",
    "旅馆名称": "Hotel name", "机构名称": "Institution name", "用地单位": "Land user", "经营者名称": "Operator's name",
    "项目单位": "Project organisation", "场所地址": "Address of the premises", "建设位置": "Construction site",
    "建设地址": "Construction address", "建设地点": "Construction location", "排水户地址": "Address of the discharger",
    "用地位置": "Location of the land",
}


def element(code: str, *, label: str = "", label_en: str = "", required: bool = True, **extra: Any) -> dict:
    """A field meaning a shared data element: key and kind are the element's; the label may say it the form's way
    (its English from LABELS_EN then, not the element's generic name)."""
    found = next(e for e in ELEMENTS if e["code"] == code)
    field = {"key": code, "kind": found["kind"], "label_zh": label or found["name_zh"],
             "label_en": label_en or LABELS_EN.get(label, "") or found["name_en"], "required": required,
             "element": code}
    if found["kind"] == "number":
        field.update({"unit": SQM if code.endswith("area") else ("人" if code == "employees" else "万元"),
                      "min_value": 0, "max_value": 10_000_000})
        if field["unit"] in COUNTED:
            field["whole_number"] = True
    return field | extra


def own(key: str, kind: str, zh: str, en: str, *, required: bool = True, **extra: Any) -> dict:
    """A field of the form's own."""
    return {"key": key, "kind": kind, "label_zh": zh, "label_en": en, "required": required} | extra


# Units of things counted one by one (people, seats, rooms, beds, floors, outlets): such a number is whole.
COUNTED = frozenset({"人", "个", "间", "张", "层"})


def number(key: str, zh: str, en: str, unit: str, *, low: int = 0, high: int = 1_000_000, **extra: Any) -> dict:
    """A number field of the form's own; a count (its unit in COUNTED) takes whole numbers only."""
    return own(key, "number", zh, en, unit=unit, min_value=low, max_value=high,
               **({"whole_number": True} if unit in COUNTED else {}), **extra)


def choices(*rows: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"value": v, "zh": zh, "en": en} for v, zh, en in rows]


def when(field: str, *values: str) -> dict:
    return {"field": field, "equals": values[0]} if len(values) == 1 else {"field": field, "in": list(values)}


def lte(a: str, b: str, zh: str, en: str) -> dict:
    return {"kind": "lte", "a": a, "b": b, "message_zh": zh, "message_en": en}


def sum_lte(table: str, column: str, b: str, zh: str, en: str) -> dict:
    return {"kind": "sum_lte", "a": table, "column": column, "b": b, "message_zh": zh, "message_en": en}


def organisation(name: str = "申请人名称", address: str = "经营场所", *, credit: bool = True) -> list[dict]:
    """The applicant organisation as most forms ask it."""
    rows = [element("applicant_name", label=name)]
    if credit:
        rows.append(element("credit_code"))
    return rows + [element("legal_representative"), element("business_address", label=address)]


def contact() -> list[dict]:
    """Who the department calls about the application (prefilled from the applicant's 实名 account)."""
    return [element("contact_name"), element("contact_mobile"), element("contact_id_number", required=False)]


YES_NO = choices(("yes", "是", "Yes"), ("no", "否", "No"))
PROJECT_NATURE = own("project_nature", "choice", "建设性质", "Nature of construction",
                     choices=choices(("new", "新建", "New"), ("rebuild", "改建", "Rebuild"), ("extend", "扩建", "Extension")))
PERIOD = [own("start_date", "date", "计划开工日期", "Planned start"),
          own("end_date", "date", "计划竣工日期", "Planned completion")]
PERIOD_RULE = lte("start_date", "end_date", "计划开工日期不能晚于计划竣工日期", "The planned start must not be after the completion")
STAFF = own("staff", "table", "从业人员", "Staff", min_length=1, max_length=50, columns=[
    own("name", "text", "姓名", "Name", max_length=20),
    own("id_number", "id_number", "居民身份证号码", "Identity number"),
    own("post", "text", "岗位", "Post", max_length=20),
    own("health_certificate", "text", "健康证明编号", "Health certificate no.", required=False, max_length=30),
])


# -- the forms, by item name ----------------------------------------------------------------------------------
THEME_FORMS: dict[str, dict[str, Any]] = {
    "公司设立登记": {
        "title": "公司登记（备案）申请书",
        "fields": [
            element("applicant_name", label="公司名称"),
            own("company_type", "choice", "公司类型", "Company type", choices=choices(
                ("llc", "有限责任公司", "Limited liability company"), ("one_person", "一人有限责任公司", "One-person LLC"),
                ("joint_stock", "股份有限公司", "Company limited by shares"))),
            element("legal_representative"), element("business_address", label="住所"),
            number("registered_capital", "注册资本", "Registered capital", "万元", low=1, high=10_000_000),
            own("business_scope", "text", "经营范围", "Business scope", max_length=500),
            own("shareholders", "table", "股东（发起人）出资情况", "Shareholders", min_length=1, max_length=50, columns=[
                own("name", "text", "股东名称或姓名", "Shareholder", max_length=100),
                own("certificate", "text", "证照号码", "Certificate number", max_length=18),
                number("capital", "认缴出资额", "Subscribed capital", "万元", low=0, high=10_000_000),
                own("paid_by", "date", "出资期限", "Contribution due"),
            ]),
            element("employees", required=False), *contact(),
        ],
        "rules": [sum_lte("shareholders", "capital", "registered_capital", "股东认缴出资额合计不能超过注册资本",
                          "The shareholders' subscribed capital must not exceed the registered capital")],
    },
    "个体工商户设立登记": {
        "title": "个体工商户登记（备案）申请书",
        "fields": [
            element("applicant_name", label="个体工商户名称"),
            own("organization_form", "choice", "组成形式", "Form", choices=choices(
                ("individual", "个人经营", "Run by one person"), ("family", "家庭经营", "Run by a family"))),
            element("business_address"), own("business_scope", "text", "经营范围", "Business scope", max_length=500),
            element("floor_area"), element("employees"),
            element("contact_name", label="经营者姓名", label_en="Operator"),
            element("contact_id_number", label="经营者居民身份证号码", label_en="Operator's identity number"),
            element("contact_mobile"),
        ],
    },
    "建设项目环境影响登记表备案": {
        "title": "建设项目环境影响登记表",
        "fields": [
            element("project_name"), *organisation("建设单位", "建设地点"),
            own("industry", "choice", "项目所属行业", "Industry", choices=choices(
                ("catering", "餐饮", "Catering"), ("lodging", "住宿", "Lodging"), ("entertainment", "娱乐", "Entertainment"),
                ("real_estate", "房地产", "Real estate"), ("other", "其他", "Other"))),
            PROJECT_NATURE, element("floor_area", label="占地（经营）面积"), element("total_investment"),
            number("env_investment", "环保投资", "Environmental investment", "万元", high=10_000_000),
            own("measures", "multi_choice", "污染防治措施", "Pollution control", min_length=1, choices=choices(
                ("fume", "油烟净化", "Fume purification"), ("grease", "隔油池", "Grease trap"),
                ("noise", "隔声降噪", "Noise insulation"), ("waste", "固废分类收集", "Sorted solid waste"))),
            *contact(),
        ],
        "rules": [lte("env_investment", "total_investment", "环保投资不能大于总投资",
                      "The environmental investment must not exceed the total investment")],
    },
    "食品经营许可（新办）": {
        "title": "食品经营许可申请书",
        "fields": [
            *organisation("经营者名称"),
            own("business_type", "choice", "主体业态", "Type of business", choices=choices(
                ("sales", "食品销售经营者", "Food retailer"), ("catering", "餐饮服务经营者", "Catering"),
                ("canteen", "单位食堂", "Canteen"))),
            own("business_items", "multi_choice", "经营项目", "Business items", min_length=1, choices=choices(
                ("prepackaged", "预包装食品销售", "Prepackaged food"), ("bulk", "散装食品销售", "Bulk food"),
                ("hot", "热食类食品制售", "Hot meals"), ("cold", "冷食类食品制售", "Cold meals"),
                ("drinks", "自制饮品制售", "Drinks made on site"), ("pastry", "糕点类食品制售", "Pastry"))),
            element("floor_area", label="经营场所面积"),
            number("kitchen_area", "加工操作区面积", "Kitchen area", SQM, high=100_000,
                   shown_when=when("business_type", "catering", "canteen")),
            number("seats", "就餐座位数", "Seats", "个", high=10_000, shown_when=when("business_type", "catering")),
            own("online", "choice", "是否网络经营", "Sells online", choices=YES_NO),
            own("platforms", "multi_choice", "网络经营平台", "Online platforms", min_length=1,
                shown_when=when("online", "yes"), choices=choices(
                    ("meituan", "美团", "Meituan"), ("eleme", "饿了么", "Ele.me"), ("own_site", "自建网站", "Own website"))),
            own("safety_manager", "text", "食品安全管理人员", "Food safety manager", max_length=20),
            element("employees"), STAFF,
            own("layout", "file", "设备布局和工艺流程图", "Layout and process", required=False,
                material="与食品经营相适应的主要设备设施布局、操作流程文件"),
            *contact(),
        ],
        "rules": [
            lte("kitchen_area", "floor_area", "加工操作区面积不能大于经营场所面积",
                "The kitchen area must not exceed the floor area"),
            {"kind": "required_if", "a": "business_type", "b": "kitchen_area", "value": "catering",
             "message_zh": "餐饮服务经营者须填写加工操作区面积", "message_en": "A caterer must give its kitchen area"},
        ],
    },
    "公众聚集场所投入使用、营业前消防安全检查（新办）": {
        "title": "公众聚集场所投入使用、营业前消防安全检查申报表",
        "fields": [
            *organisation("单位名称", "场所地址"),
            own("venue_type", "choice", "场所类型", "Type of venue", choices=choices(
                ("hotel", "宾馆、饭店", "Hotel"), ("restaurant", "餐饮场所", "Restaurant"),
                ("entertainment", "歌舞娱乐放映游艺场所", "Entertainment venue"), ("market", "商场、市场", "Market"),
                ("other", "其他", "Other"))),
            element("floor_area", label="场所使用面积"),
            own("floors", "text", "所在楼层", "Floors", max_length=30),
            number("capacity", "容纳人数", "Capacity", "人", low=1, high=100_000),
            own("fire_manager", "text", "消防安全管理人", "Fire safety manager", max_length=20),
            own("fire_manager_mobile", "mobile", "消防安全管理人手机", "Fire safety manager's mobile"),
            own("opening_date", "date", "拟投入使用（营业）日期", "Planned opening"),
            own("pledge", "choice", "采用告知承诺方式", "By written pledge", choices=YES_NO),
            *contact(),
        ],
    },
    "公共场所卫生许可（新办）": {
        "title": "公共场所卫生许可申请书",
        "fields": [
            *organisation("单位名称"),
            own("venue_category", "choice", "场所类别", "Category", choices=choices(
                ("lodging", "住宿场所", "Lodging"), ("bath", "沐浴场所", "Baths"), ("beauty", "美容美发场所", "Beauty"),
                ("culture", "文化娱乐场所", "Entertainment"), ("sports", "体育游泳场所", "Sports and swimming"))),
            element("floor_area", label="营业面积"), element("employees"),
            number("certified", "持健康合格证明人数", "Staff with health certificates", "人", high=10_000),
            own("inspection_report", "text", "卫生检测报告编号", "Hygiene test report no.", max_length=40),
            *contact(),
        ],
        "rules": [lte("certified", "employees", "持健康合格证明人数不能多于从业人员数",
                      "Certified staff cannot outnumber the staff")],
    },
    "旅馆业特种行业许可证核发（新办）": {
        "title": "特种行业许可证申请登记表（旅馆业）",
        "fields": [
            *organisation("旅馆名称"), element("floor_area", label="营业面积"),
            number("room_count", "客房数", "Rooms", "间", low=1, high=5_000),
            number("bed_count", "床位数", "Beds", "张", low=1, high=10_000),
            own("rooms", "table", "客房构成", "Rooms by type", min_length=1, max_length=20, columns=[
                own("room_type", "choice", "房型", "Room type", choices=choices(
                    ("single", "单人间", "Single"), ("double", "标准间", "Twin"), ("suite", "套房", "Suite"))),
                number("rooms", "间数", "Rooms", "间", high=5_000),
                number("beds", "每间床位", "Beds per room", "张", low=1, high=10),
            ]),
            own("security_manager", "text", "治安保卫负责人", "Security manager", max_length=20),
            number("guards", "保安员人数", "Security guards", "人", high=1_000),
            own("registration_system", "choice", "旅客住宿登记系统已安装", "Guest registration system installed",
                choices=YES_NO),
            element("fire_check_licence_number", label="消防安全检查合格证编号", required=False), *contact(),
        ],
        "rules": [sum_lte("rooms", "rooms", "room_count", "各房型间数之和不能超过客房数",
                          "The rooms by type must not add up to more than the rooms")],
    },
    "城镇污水排入排水管网许可（新办）": {
        "title": "城镇污水排入排水管网许可申请表",
        "fields": [
            *organisation("排水户名称", "排水户地址"),
            own("drainage_category", "choice", "排水户类别", "Category", choices=choices(
                ("catering", "餐饮", "Catering"), ("hotel", "宾馆", "Hotel"), ("entertainment", "娱乐", "Entertainment"),
                ("construction", "建筑施工", "Construction"), ("other", "其他", "Other"))),
            number("daily_discharge", "日排水量", "Daily discharge", "立方米/日", high=100_000),
            number("outlets", "排放口数量", "Outlets", "个", low=1, high=50),
            own("pretreatment", "multi_choice", "预处理设施", "Pre-treatment", min_length=1, choices=choices(
                ("grease", "隔油池", "Grease trap"), ("septic", "化粪池", "Septic tank"),
                ("settling", "沉淀池", "Settling tank"))),
            *contact(),
        ],
    },
    "建设项目环境影响报告表审批（新办）": {
        "title": "建设项目环境影响报告表审批申请表",
        "fields": [
            element("project_name"), *organisation("建设单位", "建设地点"), PROJECT_NATURE,
            element("total_investment"),
            number("env_investment", "环保投资", "Environmental investment", "万元", high=10_000_000),
            own("eia_agency", "text", "报告表编制单位", "Report prepared by", max_length=100),
            *contact(),
        ],
        "rules": [lte("env_investment", "total_investment", "环保投资不能大于总投资",
                      "The environmental investment must not exceed the total investment")],
    },
    "娱乐场所经营许可（新办）": {
        "title": "娱乐经营许可申请表",
        "fields": [
            *organisation("场所名称"),
            own("venue_kind", "choice", "场所类型", "Type of venue", choices=choices(
                ("singing", "歌舞娱乐场所", "Singing and dancing"), ("arcade", "游艺娱乐场所", "Arcade"))),
            element("floor_area", label="营业面积"),
            number("private_rooms", "包厢数", "Private rooms", "间", high=500, shown_when=when("venue_kind", "singing")),
            number("capacity", "核定人数", "Capacity", "人", low=1, high=10_000),
            own("investors", "table", "投资人", "Investors", min_length=1, max_length=20, columns=[
                own("name", "text", "姓名", "Name", max_length=20),
                own("id_number", "id_number", "居民身份证号码", "Identity number"),
                number("share", "出资比例", "Share", "%", high=100),
            ]),
            element("fire_check_licence_number", label="消防安全检查合格证编号", required=False), *contact(),
        ],
    },
    "企业投资项目备案（新办）": {
        "title": "企业投资项目备案信息表",
        "fields": [
            element("project_name"), *organisation("项目单位", "建设地点"), PROJECT_NATURE,
            own("scale", "text", "建设规模及内容", "Scale and content", max_length=500),
            element("total_investment"), *PERIOD, *contact(),
        ],
        "rules": [PERIOD_RULE],
    },
    "建设用地规划许可证核发（新办）": {
        "title": "建设用地规划许可申请表",
        "fields": [
            element("project_name"), *organisation("用地单位", "用地位置"),
            number("land_area", "用地面积", "Land area", SQM, low=1, high=10_000_000),
            own("land_use", "choice", "用地性质", "Land use", choices=choices(
                ("residential", "居住用地", "Residential"), ("commercial", "商业服务业用地", "Commercial"),
                ("public", "公共管理与公共服务用地", "Public services"), ("industrial", "工业用地", "Industrial"))),
            own("land_contract", "text", "国有建设用地使用权出让合同编号", "Land grant contract no.", max_length=40),
            *contact(),
        ],
    },
    "建设工程规划许可证核发（新办）": {
        "title": "建设工程规划许可申请表",
        "fields": [
            element("project_name"), *organisation("建设单位", "建设位置"),
            element("land_planning_licence_number", required=False),
            element("building_area"),
            number("above_ground_area", "地上建筑面积", "Above-ground area", SQM, high=10_000_000),
            own("buildings", "table", "建筑单体", "Buildings", min_length=1, max_length=50, columns=[
                own("name", "text", "楼栋名称", "Building", max_length=30),
                number("floors", "层数", "Floors", "层", low=1, high=150),
                number("height", "建筑高度", "Height", "米", low=1, high=600),
                number("area", "建筑面积", "Area", SQM, high=10_000_000),
            ]),
            *contact(),
        ],
        "rules": [
            lte("above_ground_area", "building_area", "地上建筑面积不能大于总建筑面积",
                "The above-ground area must not exceed the total building area"),
            sum_lte("buildings", "area", "building_area", "各楼栋建筑面积之和不能超过总建筑面积",
                    "The buildings' areas must not add up to more than the total building area"),
        ],
    },
    "结合民用建筑修建防空地下室审批（新办）": {
        "title": "结合民用建筑修建防空地下室审批申请表",
        "fields": [
            element("project_name"), *organisation("建设单位", "建设位置"),
            element("works_planning_licence_number", required=False),
            element("building_area"),
            number("shelter_area", "防空地下室面积", "Shelter area", SQM, high=1_000_000),
            own("protection_class", "choice", "防护类别", "Protection class", choices=choices(
                ("a", "甲类", "Class A"), ("b", "乙类", "Class B"))),
            own("wartime_use", "choice", "战时用途", "Wartime use", choices=choices(
                ("people", "人员掩蔽", "Shelter for people"), ("supplies", "物资库", "Supplies"),
                ("teams", "专业队工程", "Emergency teams"))),
            *contact(),
        ],
        "rules": [lte("shelter_area", "building_area", "防空地下室面积不能大于总建筑面积",
                      "The shelter area must not exceed the total building area")],
    },
    "建筑工程施工许可证核发（新办）": {
        "title": "建筑工程施工许可证申请表",
        "fields": [
            element("project_name"), *organisation("建设单位", "建设地址"), element("building_area"),
            number("contract_price", "合同价格", "Contract price", "万元", low=1, high=10_000_000),
            own("contractor", "text", "施工总承包单位", "Main contractor", max_length=100),
            own("contractor_code", "credit_code", "施工总承包单位统一社会信用代码", "Contractor's credit code"),
            own("supervisor", "text", "监理单位", "Supervising engineer", max_length=100),
            *PERIOD, *contact(),
        ],
        "rules": [PERIOD_RULE],
    },
}

TOP_FORMS: dict[str, dict[str, Any]] = {
    "人力资源服务许可（注销）": {
        "title": "人力资源服务许可注销申请表",
        "fields": [
            *organisation("机构名称", "住所"),
            element("hr_service_licence_number"),
            own("reason", "choice", "注销原因", "Reason", choices=choices(
                ("stopped", "停止经营", "Business stopped"), ("dissolved", "营业执照已注销", "Company dissolved"),
                ("other", "其他", "Other"))),
            own("reason_note", "text", "其他原因说明", "Other reason", max_length=200, shown_when=when("reason", "other")),
            *contact(),
        ],
    },
    "建设用地规划许可证核发（变更）": {
        "title": "建设用地规划许可变更申请表",
        "fields": [
            element("project_name"), *organisation("用地单位", "用地位置"),
            element("land_planning_licence_number", label="原建设用地规划许可证编号"),
            own("changes", "multi_choice", "变更事项", "What changes", min_length=1, choices=choices(
                ("holder", "用地单位名称", "Holder's name"), ("area", "用地面积", "Land area"),
                ("use", "用地性质", "Land use"))),
            number("land_area", "变更后用地面积", "Land area after the change", SQM, low=1, high=10_000_000,
                   shown_when=when("changes", "area")),
            own("change_reason", "text", "变更理由", "Reason", max_length=300), *contact(),
        ],
    },
    "股权出质登记（设立）": {
        "title": "股权出质登记申请书",
        "fields": [
            element("applicant_name", label="出质股权所在公司名称"), element("credit_code"),
            own("pledgor", "text", "出质人", "Pledgor", max_length=100),
            own("pledgee", "text", "质权人", "Pledgee", max_length=100),
            number("pledged_amount", "出质股权数额", "Equity pledged", "万元", low=1, high=10_000_000),
            number("secured_debt", "被担保债权数额", "Debt secured", "万元", low=1, high=10_000_000),
            own("debt_due", "date", "债务履行期限", "Debt due"), *contact(),
        ],
    },
    "股权出质登记（变更）": {
        "title": "股权出质变更登记申请书",
        "fields": [
            element("applicant_name", label="出质股权所在公司名称"), element("credit_code"),
            own("pledge_notice", "text", "原股权出质设立登记通知书编号", "Original registration notice no.", max_length=40),
            own("changes", "multi_choice", "变更事项", "What changes", min_length=1, choices=choices(
                ("amount", "出质股权数额", "Equity pledged"), ("pledgee", "质权人", "Pledgee"),
                ("debt", "被担保债权数额", "Debt secured"))),
            number("pledged_amount", "变更后出质股权数额", "Equity pledged after", "万元", low=1, high=10_000_000,
                   shown_when=when("changes", "amount")),
            own("pledgee", "text", "变更后质权人", "Pledgee after", max_length=100, shown_when=when("changes", "pledgee")),
            *contact(),
        ],
    },
    "药品经营许可（零售）（延续）": {
        "title": "药品经营许可证（零售）延续申请表",
        "fields": [
            *organisation("企业名称"), element("drug_retail_licence_number", label="原药品经营许可证编号"),
            element("floor_area", label="营业面积"),
            own("scope", "multi_choice", "经营范围", "Scope", min_length=1, choices=choices(
                ("herbal", "中药饮片", "Herbal pieces"), ("patent", "中成药", "Chinese patent medicine"),
                ("chemical", "化学药", "Chemical drugs"), ("biological", "生物制品", "Biologics"))),
            own("pharmacists", "table", "执业药师", "Licensed pharmacists", min_length=1, max_length=20, columns=[
                own("name", "text", "姓名", "Name", max_length=20),
                own("id_number", "id_number", "居民身份证号码", "Identity number"),
                own("certificate", "text", "执业药师注册证编号", "Registration no.", max_length=30),
            ]),
            *contact(),
        ],
    },
    "第三类医疗器械经营许可（新办）": {
        "title": "医疗器械经营许可申请表",
        "fields": [
            *organisation("企业名称", "经营场所"),
            own("warehouse", "address", "库房地址", "Warehouse", required=False),
            element("floor_area", label="经营场所面积"),
            number("warehouse_area", "库房面积", "Warehouse area", SQM, high=1_000_000),
            own("mode", "choice", "经营方式", "Mode", choices=choices(
                ("wholesale", "批发", "Wholesale"), ("retail", "零售", "Retail"), ("both", "批零兼营", "Both"))),
            own("quality_manager", "text", "质量管理人", "Quality manager", max_length=20), *contact(),
        ],
    },
    "预告登记（预购商品房抵押预告登记）": {
        "title": "不动产登记申请书（预购商品房抵押预告登记）",
        "fields": [
            element("contact_name", label="抵押人（购房人）", label_en="Mortgagor (buyer)"),
            element("contact_id_number", label="抵押人居民身份证号码", label_en="Mortgagor's identity number"),
            element("contact_mobile"),
            element("applicant_name", label="抵押权人（贷款银行）", label_en="Mortgagee (bank)"),
            own("property", "address", "不动产坐落", "Property location"),
            own("contract_number", "text", "商品房预售合同备案号", "Pre-sale contract no.", max_length=40),
            number("loan_amount", "被担保主债权数额", "Loan secured", "万元", low=1, high=100_000),
        ],
    },
    "食品经营者监督检查": {
        "title": "食品经营者监督检查申请表",
        "fields": [
            *organisation("经营者名称"), element("food_licence_number"),
            own("inspection_kind", "choice", "检查类型", "Kind of inspection", choices=choices(
                ("routine", "日常监督检查", "Routine"), ("follow_up", "整改复查", "Follow-up"))),
            own("rectified_on", "date", "整改完成日期", "Rectified on", shown_when=when("inspection_kind", "follow_up")),
            *contact(),
        ],
    },
    "不动产权证书补发换发（补发）": {
        "title": "不动产权证书补发申请书",
        "fields": [
            element("contact_name", label="权利人", label_en="Right holder"),
            element("contact_id_number", label="权利人居民身份证号码", label_en="Holder's identity number"),
            element("contact_mobile"),
            own("certificate_number", "text", "原不动产权证书号", "Certificate no.", max_length=40),
            own("property", "address", "不动产坐落", "Property location"),
            own("reason", "choice", "补发原因", "Reason", choices=choices(
                ("lost", "遗失", "Lost"), ("destroyed", "灭失", "Destroyed"))),
            own("notice_date", "date", "遗失声明刊登日期", "Loss notice published on", shown_when=when("reason", "lost")),
        ],
    },
    "个人养老保险关系转移接续（转出）": {
        "title": "基本养老保险关系转移接续申请表",
        "fields": [
            element("contact_name", label="参保人姓名", label_en="Insured person"),
            element("contact_id_number", label="参保人居民身份证号码", label_en="Insured person's identity number"),
            element("contact_mobile"),
            own("insured_since", "date", "参保日期", "Insured since"),
            own("destination", "text", "转入地社会保险经办机构", "Receiving social insurance agency", max_length=100),
            own("reason", "choice", "转移原因", "Reason", choices=choices(
                ("job", "跨统筹地区就业", "New job elsewhere"), ("residence", "户籍迁移", "Moved residence"))),
        ],
    },
}

# Sample answers of the seeded cases, by field key: a list to choose from, or (low, high) for a number.
SAMPLES: dict[str, Any] = {
    "business_scope": ["餐饮服务；食品销售", "住宿服务；餐饮服务", "歌舞娱乐活动；酒类销售", "企业管理咨询；会议及展览服务"],
    "project_name": ["解放碑商务楼改造项目", "化龙桥片区住宅项目", "大坪社区养老服务中心", "两路口商业综合体", "菜园坝安置房项目"],
    "scale": ["新建商业用房约2万平方米", "改造既有建筑及配套设施", "新建住宅5栋及地下车库"],
    "safety_manager": ["刘洋", "陈静", "周敏"], "security_manager": ["赵强", "孙杰"], "fire_manager": ["黄磊", "吴涛"],
    "quality_manager": ["林娟", "罗超"], "floors": ["1-2层", "负1层至3层", "4层"],
    "inspection_report": ["WJ2025-0413", "CQJC20250722"], "eia_agency": ["重庆环科源环境工程有限公司"],
    "land_contract": ["渝地（2025）合字（渝中）第12号"], "contractor": ["重庆建工第三建设有限责任公司"],
    "supervisor": ["重庆赛迪工程咨询有限公司"], "pledgor": ["王伟", "重庆山城投资有限公司"],
    "pledgee": ["重庆农村商业银行股份有限公司渝中支行", "中国工商银行重庆解放碑支行"],
    "pledge_notice": ["（渝中）股质登记设字〔2025〕第0031号"], "contract_number": ["YS2025-0088123"],
    "certificate_number": ["渝（2021）渝中区不动产权第000312号"], "destination": ["成都市社会保险事业管理局"],
    "change_reason": ["建设单位更名", "规划调整用地面积"], "reason_note": ["经营场所拆迁"],
    "floor_area": (80, 600), "kitchen_area": (20, 80), "seats": (20, 200), "employees": (5, 40),
    "certified": (3, 5), "registered_capital": (100, 1000), "capacity": (50, 400), "room_count": (30, 120),
    "bed_count": (60, 240), "guards": (2, 10), "daily_discharge": (5, 80), "outlets": (1, 3), "private_rooms": (8, 30),
    "total_investment": (500, 50_000), "env_investment": (10, 300), "land_area": (2000, 40_000),
    "building_area": (8000, 120_000), "above_ground_area": (5000, 8000), "shelter_area": (500, 3000),
    "contract_price": (3000, 60_000), "pledged_amount": (50, 500), "secured_debt": (100, 800),
    "loan_amount": (50, 300), "warehouse_area": (50, 400),
}


def theme_item_names() -> list[str]:
    """The items of the four themes with a demo form."""
    return list(THEME_FORMS)


def top_item_names() -> list[str]:
    """The ten items the demo's single cases (seed 2018) apply for most, with a demo form."""
    return list(TOP_FORMS)
