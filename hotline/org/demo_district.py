"""The demo district, modelled on Jing'an District, Shanghai (静安区): pure data, no DB access.

Why a believable district rather than ``unit-1 … unit-71``: dispatch rules, the gazetteer, the
classifier and the rankings only show whether they work on data that looks like the real thing.
The 13 streets and 1 town are Jing'an's real ones and the bureaus are the departments a district of
that size has; people, telephone numbers and most neighbourhood committees and estates are made up.

Roads are real Jing'an roads. A real road often crosses several streets; here each road belongs to
exactly one street (roughly the one holding most of it), so that "address → street" is unambiguous
for the gazetteer and for generated addresses.

:mod:`hotline.org.demo` turns these tables into rows.
"""

from __future__ import annotations

import zlib
from typing import NamedTuple

from hotline.org.models import PeerGroup, Role, UnitKind
from hotline.sla.models import Basis, Urgency

DEMO_PASSWORD = "hotline-demo"

# A category whose default unit is this value is routed by the citizen's address to its street
# (噪音扰民, 群租, 违章搭建 …): there is no single unit to name in the responsibility list.
STREET = "street"


class UnitSpec(NamedTuple):
    code: str
    name: str
    kind: str
    peer_group: str
    contact_person: str
    contact_phone: str


class Neighbourhood(NamedTuple):
    """A neighbourhood committee (居委会) and the residential estates (小区) it looks after."""

    code: str
    name: str
    estates: tuple[str, ...]


class Street(NamedTuple):
    code: str
    name: str
    contact_person: str
    contact_phone: str
    roads: tuple[str, ...]
    neighbourhoods: tuple[Neighbourhood, ...]


class Rule(NamedTuple):
    """Amounts are counted in ``basis``; 0 means "no deadline" (see sla.DeadlineRule)."""

    basis: str
    accept: int
    first_contact: int
    reply: int
    return_window: int
    callback: int


class Policy(NamedTuple):
    code: str
    name: str
    description: str
    rules: dict[str, Rule]


class CategorySpec(NamedTuple):
    """One node of the taxonomy. ``code`` is local: the stored code is the parent's code, a
    hyphen, and this (``cxjs`` → ``cxjs-szss`` → ``cxjs-szss-ldps``). Only leaves name a default
    unit and a deadline policy; inner nodes have ``children``."""

    code: str
    name: str
    children: tuple[CategorySpec, ...] = ()
    default_unit: str = ""
    policy: str = ""


class UserSpec(NamedTuple):
    username: str
    display_name: str
    roles: tuple[str, ...]
    description: str


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------

DISTRICT_GOVERNMENT = UnitSpec(
    "jaqzf", "静安区人民政府", UnitKind.DISTRICT_GOVERNMENT, "", "顾文渊", "021-62180000"
)
HOTLINE_CENTRE = UnitSpec(
    "rxzx", "静安区12345市民服务热线中心", UnitKind.HOTLINE_CENTRE, "", "王丽君", "021-62563456"
)

STREETS: tuple[Street, ...] = (
    Street(
        "jnl",
        "江宁路街道",
        "沈丽萍",
        "021-62563128",
        roads=("江宁路", "昌平路", "武定路", "海防路", "西康路", "淮安路", "澳门路"),
        neighbourhoods=(
            Neighbourhood("jnl-01", "三和花园居委会", ("三和花园", "昌平公寓")),
            Neighbourhood("jnl-02", "海防村居委会", ("海防村", "西康公寓", "海防新苑")),
            Neighbourhood("jnl-03", "蒋家巷居委会", ("蒋家巷小区", "叶家宅", "江宁公寓")),
            Neighbourhood("jnl-04", "淮安居委会", ("淮安里", "淮安新苑")),
            Neighbourhood("jnl-05", "武定坊居委会", ("武定坊", "西康路小区")),
        ),
    ),
    Street(
        "bsl",
        "宝山路街道",
        "顾志明",
        "021-56651032",
        roads=("宝山路", "宝通路", "天通庵路", "东宝兴路", "虬江路", "鸿兴路", "青云路", "宝源路"),
        neighbourhoods=(
            Neighbourhood("bsl-01", "宝山新村居委会", ("宝山新村", "宝山一村")),
            Neighbourhood("bsl-02", "青云居委会", ("青云路小区", "青云大楼", "宝通公寓")),
            Neighbourhood("bsl-03", "鸿兴居委会", ("鸿兴路小区", "鸿兴苑")),
            Neighbourhood("bsl-04", "虬江居委会", ("虬江新苑", "东宝兴路小区", "天通庵小区")),
        ),
    ),
    Street(
        "dnl",
        "大宁路街道",
        "陆海燕",
        "021-66308115",
        roads=("大宁路", "广中西路", "延长中路", "灵石路", "洛川中路", "万荣路", "彭江路"),
        neighbourhoods=(
            Neighbourhood("dnl-01", "宁和居委会", ("大宁瑞仕花园", "大宁金茂府")),
            Neighbourhood("dnl-02", "延长居委会", ("延长中路小区", "大宁新村")),
            Neighbourhood("dnl-03", "灵石居委会", ("灵石苑", "宝华现代城", "彭江小区")),
            Neighbourhood("dnl-04", "洛川居委会", ("洛川中路小区", "大宁山庄", "万荣小区")),
        ),
    ),
    Street(
        "lfl",
        "临汾路街道",
        "徐建平",
        "021-56401276",
        roads=("临汾路", "汾西路", "阳泉路", "岭南路", "阳曲路"),
        neighbourhoods=(
            Neighbourhood("lfl-01", "临汾居委会", ("临汾路375弄小区", "临汾路380弄小区")),
            Neighbourhood("lfl-02", "汾西居委会", ("汾西路小区", "汾西新苑")),
            Neighbourhood("lfl-03", "阳泉居委会", ("阳泉苑", "阳曲新村", "阳泉路小区")),
            Neighbourhood("lfl-04", "岭南居委会", ("岭南路小区", "岭南一村")),
        ),
    ),
    Street(
        "njxl",
        "南京西路街道",
        "朱慧敏",
        "021-62171836",
        roads=("南京西路", "威海路", "茂名北路", "陕西北路", "石门一路", "吴江路", "延安中路"),
        neighbourhoods=(
            Neighbourhood("njxl-01", "静安别墅居委会", ("静安别墅", "华业公寓")),
            Neighbourhood("njxl-02", "威海居委会", ("张园", "威海别墅")),
            Neighbourhood("njxl-03", "茂名居委会", ("茂名公寓", "重华新村")),
            Neighbourhood("njxl-04", "石门一路居委会", ("四明邨", "吴江路小区", "明德里")),
        ),
    ),
    Street(
        "jas",
        "静安寺街道",
        "吴伟民",
        "021-62480327",
        roads=("愚园路", "华山路", "常德路", "铜仁路", "乌鲁木齐北路", "镇宁路", "延安西路"),
        neighbourhoods=(
            Neighbourhood("jas-01", "愚谷邨居委会", ("愚谷邨", "涌泉坊")),
            Neighbourhood("jas-02", "常德居委会", ("常德公寓", "常德路小区")),
            Neighbourhood("jas-03", "华山居委会", ("华山公寓", "华山花园", "铜仁小区")),
            Neighbourhood("jas-04", "景华居委会", ("景华新村", "镇宁路小区")),
        ),
    ),
    Street(
        "smel",
        "石门二路街道",
        "钱秀英",
        "021-62182045",
        roads=(
            "石门二路",
            "新闸路",
            "北京西路",
            "山海关路",
            "大田路",
            "奉贤路",
            "成都北路",
            "泰兴路",
        ),
        neighbourhoods=(
            Neighbourhood("smel-01", "新福康里居委会", ("新福康里", "大田新苑")),
            Neighbourhood("smel-02", "山海关居委会", ("山海关公寓", "育才里")),
            Neighbourhood("smel-03", "恒德里居委会", ("恒德里", "新闸公寓", "成都北路小区")),
            Neighbourhood("smel-04", "奉贤居委会", ("奉贤公寓", "泰兴大楼")),
        ),
    ),
    Street(
        "cjd",
        "曹家渡街道",
        "孙国华",
        "021-62585510",
        roads=("万航渡路", "武宁南路", "长寿路", "延平路", "昌化路", "胶州路", "余姚路", "康定路"),
        neighbourhoods=(
            Neighbourhood("cjd-01", "中行别业居委会", ("中行别业", "万航公寓")),
            Neighbourhood("cjd-02", "康定居委会", ("康定花园", "康乐小区", "胶州公寓")),
            Neighbourhood("cjd-03", "延平居委会", ("延平新苑", "余姚公寓")),
            Neighbourhood("cjd-04", "昌化居委会", ("昌化新村", "武宁小区")),
            Neighbourhood("cjd-05", "长寿居委会", ("长寿新苑", "曹家渡花园", "长寿公寓")),
        ),
    ),
    Street(
        "tmxl",
        "天目西路街道",
        "杨立新",
        "021-63177240",
        roads=("天目西路", "恒丰路", "长安路", "大统路", "梅园路", "共和路", "秣陵路", "光复路"),
        neighbourhoods=(
            Neighbourhood("tmxl-01", "恒丰居委会", ("恒丰苑", "不夜城小区")),
            Neighbourhood("tmxl-02", "长安居委会", ("长安公寓", "梅园新村")),
            Neighbourhood("tmxl-03", "共和居委会", ("共和苑", "秣陵新村", "大统公寓")),
            Neighbourhood("tmxl-04", "光复居委会", ("光复公寓", "苏河湾花园")),
        ),
    ),
    Street(
        "bz",
        "北站街道",
        "蒋美华",
        "021-63247781",
        roads=(
            "西藏北路",
            "天目东路",
            "海宁路",
            "浙江北路",
            "曲阜路",
            "安庆路",
            "七浦路",
            "北苏州路",
        ),
        neighbourhoods=(
            Neighbourhood("bz-01", "安庆居委会", ("安庆公寓", "曲阜新村")),
            Neighbourhood("bz-02", "浙北居委会", ("浙北小区", "浙江北路公寓")),
            Neighbourhood("bz-03", "海宁居委会", ("海宁公寓", "七浦新村", "北苏州公寓")),
            Neighbourhood("bz-04", "天目东居委会", ("天目新苑", "西藏北路小区")),
        ),
    ),
    Street(
        "zjxl",
        "芷江西路街道",
        "金永康",
        "021-56338902",
        roads=("芷江西路", "中山北路", "宝昌路", "平陆路", "柳营路", "中华新路", "永兴路"),
        neighbourhoods=(
            Neighbourhood("zjxl-01", "芷江居委会", ("芷江新村", "芷江公寓")),
            Neighbourhood("zjxl-02", "柳营居委会", ("柳营新村", "柳营路小区")),
            Neighbourhood("zjxl-03", "中华新路居委会", ("中华新村", "永兴公寓", "中山北路小区")),
            Neighbourhood("zjxl-04", "平陆居委会", ("平陆新村", "宝昌小区")),
        ),
    ),
    Street(
        "ghxl",
        "共和新路街道",
        "姚晓红",
        "021-56771438",
        roads=("共和新路", "平型关路", "广延路", "谈家桥路", "洛川东路", "延长路"),
        neighbourhoods=(
            Neighbourhood("ghxl-01", "谈家桥居委会", ("谈家桥小区", "谈家桥新苑")),
            Neighbourhood("ghxl-02", "广延居委会", ("广延新村", "广延公寓")),
            Neighbourhood("ghxl-03", "平型关居委会", ("平型关新村", "共和新苑", "平型关公寓")),
            Neighbourhood("ghxl-04", "洛川东居委会", ("洛川新村", "延长新村")),
        ),
    ),
    Street(
        "ppxc",
        "彭浦新村街道",
        "胡建军",
        "021-56432716",
        roads=("平顺路", "闻喜路", "保德路", "运城路"),
        neighbourhoods=(
            Neighbourhood("ppxc-01", "彭一居委会", ("彭一小区", "平顺新苑")),
            Neighbourhood("ppxc-02", "彭三居委会", ("彭三小区", "闻喜新村")),
            Neighbourhood("ppxc-03", "彭五居委会", ("彭五小区", "保德苑", "彭五新苑")),
            Neighbourhood("ppxc-04", "彭七居委会", ("彭七小区", "运城新苑")),
        ),
    ),
    Street(
        "ppz",
        "彭浦镇",
        "施红梅",
        "021-56681259",
        roads=(
            "沪太路",
            "江场路",
            "场中路",
            "永和路",
            "老沪太路",
            "普善路",
            "原平路",
            "三泉路",
            "汶水路",
        ),
        neighbourhoods=(
            Neighbourhood("ppz-01", "永和居委会", ("永和一村", "永和二村")),
            Neighbourhood("ppz-02", "江场居委会", ("江场新村", "江场苑")),
            Neighbourhood("ppz-03", "三泉居委会", ("三泉家园", "三泉新苑")),
            Neighbourhood("ppz-04", "场中居委会", ("场中新村", "原平公寓", "沪太新苑")),
            Neighbourhood("ppz-05", "普善居委会", ("普善新苑", "汶水苑")),
        ),
    ),
)

# (code, name, contact person, contact phone). The first six are named in the seed newspaper.
_BUREAUS: tuple[tuple[str, str, str, str], ...] = (
    ("mzj", "区民政局", "王雪芳", "021-62156075"),
    ("jyj", "区教育局", "李振宇", "021-62561190"),
    ("fgj", "区房管局", "张卫国", "021-62170933"),
    ("gzw", "区国资委", "刘佳", "021-62180266"),
    ("lhsrj", "区绿化市容局", "陈永福", "021-62725518"),
    ("fl", "区妇联", "赵婉清", "021-62565836"),
    ("jgw", "区建设管理委员会", "黄立强", "021-62152296"),
    ("scjgj", "区市场监督管理局", "周敏", "021-62898101"),
    ("sthjj", "区生态环境局", "吴晓东", "021-62477613"),
    ("wjw", "区卫生健康委员会", "郑丽华", "021-62555078"),
    ("rsj", "区人力资源和社会保障局", "冯志刚", "021-62473300"),
    ("gafj", "区公安分局", "褚明杰", "021-62181110"),
    ("jjzd", "区公安分局交警支队", "卫东升", "021-62660122"),
    ("cgzfj", "区城管执法局", "蒋国强", "021-62723212"),
    ("ghzyj", "区规划资源局", "沈家豪", "021-62489976"),
    ("sww", "区商务委员会", "韩雪梅", "021-62170685"),
    ("whlyj", "区文化和旅游局", "杨柳青", "021-62172533"),
    ("ybj", "区医疗保障局", "朱晓玲", "021-62893320"),
    ("tyjrj", "区退役军人事务局", "秦建华", "021-62566712"),
    ("swj", "区税务局", "尤丽娟", "021-62584400"),
    ("cl", "区残联", "许文杰", "021-62589187"),
    ("zgh", "区总工会", "何秀兰", "021-62560943"),
    ("tw", "区团委", "吕晨", "021-62562358"),
    ("sfj", "区司法局", "施志远", "021-62188250"),
    ("yjglj", "区应急管理局", "张志勇", "021-62893045"),
    ("swuj", "区水务局", "孔德明", "021-56657218"),
    ("fgw", "区发展和改革委员会", "曹雯", "021-62160327"),
    ("czj", "区财政局", "严如玉", "021-62160588"),
    ("kw", "区科学技术委员会", "华立峰", "021-62160799"),
    ("tyj", "区体育局", "金鹏", "021-62726341"),
    ("xfb", "区信访办", "魏淑珍", "021-62181603"),
    ("dqb", "区地区工作办公室", "陶建新", "021-62180874"),
    ("xfzd", "区消防救援支队", "姜伟", "021-62470119"),
    ("xzfwzx", "区行政服务中心", "戚美玲", "021-62155812"),
    ("tcb", "区投资促进办公室", "谢振东", "021-62160935"),
    ("mzb", "区民族宗教事务办公室", "邹玉兰", "021-62181447"),
    ("mfb", "区民防办公室", "喻国平", "021-62179032"),
    ("wmb", "区精神文明建设办公室", "柏静", "021-62186620"),
    ("cyzx", "区城市运行管理中心", "窦文涛", "021-62172210"),
    ("hszh", "区红十字会", "章慧", "021-62566451"),
    ("kx", "区科学技术协会", "苏海涛", "021-62180153"),
    ("gsl", "区工商业联合会", "潘志华", "021-62173368"),
    ("jgswj", "区机关事务管理局", "葛建明", "021-62186711"),
    ("tjj", "区统计局", "奚红", "021-62160472"),
    ("wb", "区外事办公室", "范晓云", "021-62182596"),
)


class Section(NamedTuple):
    """A bureau's section (科室): a sub-unit the bureau assigns its orders to inside (二级派单),
    by the order's category (``categories``: category code prefixes)."""

    code: str
    name: str
    categories: tuple[str, ...]


# The sections of the busiest bureaus, each with the categories the bureau passes to it: a bureau
# logs in (unit-scjgj, unit-jgw, unit-fgj, unit-lhsrj) and is offered its section for an order;
# a section logs in (unit-scjgj-sp …) and works what it was assigned. What no section takes the
# bureau works itself, as a real one does: price enforcement (价格违法, 停车收费) at the market
# bureau, shared bikes at the construction commission, 加装电梯 (a bureau-wide task force) at the
# housing bureau, the parks at the greening bureau.
BUREAU_SECTIONS: dict[str, tuple[Section, ...]] = {
    "scjgj": (
        Section("scjgj-sp", "区市场监管局食品安全监管科", ("scjg-spaq",)),
        Section(
            "scjgj-xb",
            "区市场监管局消费者权益保护科",
            ("scjg-xfwq-spts", "scjg-xfwq-fwxf", "scjg-xfwq-xjgg"),
        ),
        Section("scjgj-tz", "区市场监管局特种设备安全监察科", ("scjg-tzsb",)),
        Section("scjgj-yp", "区市场监管局药品医疗器械监管科", ("scjg-ypqx",)),
        Section("scjgj-dj", "区市场监管局登记注册科", ("scjg-qydj",)),
    ),
    "jgw": (
        Section("jgw-sz", "区建管委市政设施管理科", ("cxjs-szss",)),
        Section("jgw-gc", "区建管委建设工程管理科", ("cxjs-jsgl", "hjbh-zswr-jtzs")),
        Section("jgw-jt", "区建管委交通运输管理科", ("jtys-ggjt", "jtys-czc")),
    ),
    "fgj": (
        Section("fgj-wy", "区房管局物业管理科", ("zfgl-wygl",)),
        Section("fgj-aq", "区房管局房屋安全管理科", ("zfgl-fwaq", "zfgl-jfxs")),
        Section("fgj-bz", "区房管局住房保障科", ("zfgl-zfbz", "cxjs-csgx")),
        Section("fgj-sc", "区房管局房地产市场管理科", ("zfgl-zljy",)),
    ),
    "lhsrj": (
        Section("lhsrj-hw", "区绿化市容局环境卫生管理科", ("csgl-ljcl", "csgl-hwbj")),
        Section(
            "lhsrj-lh",
            "区绿化市容局绿化管理科",
            ("csgl-lh-smxj", "csgl-lh-dsdz", "csgl-lh-lhph", "nlsw-ly"),
        ),
        Section("lhsrj-sr", "区绿化市容局市容景观管理科", ("csgl-srhj",)),
    ),
}


def section_for(bureau: str, category: str) -> str | None:
    """The code of the bureau's section for orders of ``category`` (a category code), if any."""
    for section in BUREAU_SECTIONS.get(bureau, ()):
        if any(category.startswith(prefix) for prefix in section.categories):
            return section.code
    return None


def sections() -> list[tuple[str, Section]]:
    """Every bureau section with its bureau's code, in the data's order."""
    return [(bureau, section) for bureau, found in BUREAU_SECTIONS.items() for section in found]


# District-owned group companies; the first two are named in the seed newspaper.
_COMPANIES: tuple[tuple[str, str, str, str], ...] = (
    ("sbgx", "市北高新集团", "邵振宇", "021-66520888"),
    ("bfjt", "北方企业集团", "汤立军", "021-56658210"),
    ("jatz", "静安投资集团", "陈思远", "021-62561735"),
    ("jazy", "静安置业集团", "毛建英", "021-62173590"),
    ("jacf", "静安城发集团", "方浩", "021-62485630"),
)

# Public-service companies that take hotline orders about water, power, gas and telecoms.
_OTHERS: tuple[tuple[str, str, str, str], ...] = (
    ("sbgd", "国网上海市北供电公司静安营业部", "殷国栋", "021-56658811"),
    ("zlsb", "上海市自来水市北有限公司", "罗永刚", "021-56653917"),
    ("dzrq", "大众燃气静安分公司", "郝丽丽", "021-62722095"),
    ("rqsb", "上海燃气市北销售有限公司", "邬志成", "021-56629318"),
    ("dxja", "上海电信静安分公司", "安晓峰", "021-62729100"),
    ("ydja", "上海移动静安分公司", "常婷", "021-62892618"),
    ("gjj", "上海市公积金管理中心静安分中心", "乐建勇", "021-62171208"),
)


def _units(
    kind: str, peer_group: str, rows: tuple[tuple[str, str, str, str], ...]
) -> tuple[UnitSpec, ...]:
    return tuple(
        UnitSpec(code, name, kind, peer_group, who, phone) for code, name, who, phone in rows
    )


# The 71 handling units (承办单位) the seed article counts: streets, bureaus, companies, others.
HANDLING_UNITS: tuple[UnitSpec, ...] = (
    *(
        UnitSpec(
            s.code, s.name, UnitKind.STREET, PeerGroup.STREETS, s.contact_person, s.contact_phone
        )
        for s in STREETS
    ),
    *_units(UnitKind.BUREAU, PeerGroup.BUREAUS, _BUREAUS),
    *_units(UnitKind.GROUP_COMPANY, PeerGroup.COMPANIES, _COMPANIES),
    *_units(UnitKind.OTHER, PeerGroup.OTHERS, _OTHERS),
)

# Gazetteer lookups derived from the street table (address → street / estate → neighbourhood).
ROAD_STREET: dict[str, str] = {road: s.code for s in STREETS for road in s.roads}
ESTATE_NEIGHBOURHOOD: dict[str, str] = {
    estate: n.code for s in STREETS for n in s.neighbourhoods for estate in n.estates
}

# --------------------------------------------------------------------------------------------
# Deadline policies (sla.DeadlinePolicy + one DeadlineRule per urgency)
# --------------------------------------------------------------------------------------------

CONSULT = "consult"
STANDARD = "standard"
COMPLEX = "complex"
EMERGENCY = "emergency"
# The policy hotline.ratings keeps in line with its settings (hotline.ratings.actions.rectify).
RECTIFY = "hall-rectify"

WD, HOURS = Basis.WORKING_DAYS, Basis.HOURS

POLICIES: tuple[Policy, ...] = (
    Policy(
        CONSULT,
        "咨询类",
        "政策、办事咨询：一般件1个工作日内答复。",
        {
            #                       accept  first  reply  return  callback
            Urgency.NORMAL: Rule(WD, 1, 1, 1, 1, 1),
            Urgency.URGENT: Rule(HOURS, 1, 2, 8, 2, 24),
            Urgency.CRITICAL: Rule(HOURS, 1, 1, 4, 1, 12),
        },
    ),
    Policy(
        STANDARD,
        "求助投诉类",
        "求助、投诉、举报：一般件5个工作日内办结答复。",
        {
            Urgency.NORMAL: Rule(WD, 1, 1, 5, 2, 2),
            Urgency.URGENT: Rule(HOURS, 2, 4, 48, 4, 24),
            Urgency.CRITICAL: Rule(HOURS, 1, 2, 24, 2, 12),
        },
    ),
    Policy(
        COMPLEX,
        "复杂类",
        "涉及多部门、需现场勘查或政策研究的诉求：一般件15个工作日内办结答复。",
        {
            Urgency.NORMAL: Rule(WD, 1, 1, 15, 2, 3),
            Urgency.URGENT: Rule(HOURS, 2, 4, 72, 4, 24),
            Urgency.CRITICAL: Rule(HOURS, 1, 2, 24, 2, 12),
        },
    ),
    Policy(
        RECTIFY,
        "差评整改类",
        "服务大厅好差评的差评整改：1个工作日内联系群众，15个工作日内整改答复"
        "（hotline.ratings 按 RATING_CONTACT_DAYS、RATING_RECTIFY_DAYS 维护一般件）。",
        {
            Urgency.NORMAL: Rule(WD, 1, 1, 15, 1, 1),
            Urgency.URGENT: Rule(HOURS, 2, 4, 72, 4, 24),
            Urgency.CRITICAL: Rule(HOURS, 1, 2, 24, 2, 12),
        },
    ),
    Policy(
        EMERGENCY,
        "紧急抢修类",
        "停水、停电、燃气泄漏等抢修类诉求：即使一般件也按自然小时计时。",
        {
            Urgency.NORMAL: Rule(HOURS, 1, 2, 24, 2, 24),
            Urgency.URGENT: Rule(HOURS, 1, 1, 12, 1, 12),
            Urgency.CRITICAL: Rule(HOURS, 1, 1, 4, 1, 8),
        },
    ),
)

# --------------------------------------------------------------------------------------------
# Request taxonomy (诉求分类): three levels; leaves carry the responsibility list (权责清单)
# --------------------------------------------------------------------------------------------


def node(code: str, name: str, *children: CategorySpec) -> CategorySpec:
    return CategorySpec(code, name, children)


def leaf(code: str, name: str, default_unit: str, policy: str) -> CategorySpec:
    return CategorySpec(code, name, (), default_unit, policy)


CATEGORIES: tuple[CategorySpec, ...] = (
    node(
        "cxjs",
        "城乡建设",
        node(
            "szss",
            "市政设施",
            leaf("ldps", "道路破损", "jgw", STANDARD),
            leaf("jgps", "窨井盖缺失破损", "jgw", EMERGENCY),
            leaf("ldbl", "路灯不亮", "jgw", STANDARD),
            leaf("rxdps", "人行道破损", "jgw", STANDARD),
        ),
        node(
            "jsgl",
            "建设工程管理",
            leaf("gdyc", "工地扬尘", "jgw", STANDARD),
            leaf("sgwd", "施工围挡占道", "jgw", STANDARD),
            leaf("gczl", "工程质量", "jgw", COMPLEX),
            leaf("jszx", "建设审批咨询", "jgw", CONSULT),
        ),
        node(
            "csgx",
            "城市更新与旧区改造",
            leaf("jgzs", "旧区改造征收", "fgj", COMPLEX),
            leaf("gxxm", "城市更新项目", "jacf", COMPLEX),
            leaf("ghzx", "规划咨询", "ghzyj", CONSULT),
        ),
        node(
            "jzdt",
            "既有多层住宅加装电梯",
            leaf("zczx", "加装电梯政策咨询", "fgj", CONSULT),
            leaf("sgwt", "加装电梯施工问题", STREET, STANDARD),
            leaf("btsq", "加装电梯补贴", "fgj", STANDARD),
        ),
    ),
    node(
        "hjbh",
        "环境保护",
        node(
            "dqwr",
            "大气污染",
            leaf("cyyy", "餐饮油烟", "sthjj", STANDARD),
            leaf("qyfq", "企业废气", "sthjj", STANDARD),
            leaf("ltfs", "露天焚烧", "cgzfj", STANDARD),
        ),
        node(
            "zswr",
            "噪声污染",
            leaf("shzs", "噪音扰民", STREET, STANDARD),
            leaf("gyzs", "工业企业噪声", "sthjj", STANDARD),
            leaf("jtzs", "交通噪声", "jgw", COMPLEX),
            leaf("yjsg", "夜间施工噪声", "cgzfj", STANDARD),
        ),
        node(
            "swr",
            "水污染",
            leaf("hdwr", "河道污染", "swuj", STANDARD),
            leaf("ywhj", "雨污混接", "swuj", STANDARD),
        ),
        node(
            "gfdc",
            "固体废物与辐射",
            leaf("wxfw", "危险废物", "sthjj", COMPLEX),
            leaf("dcfs", "电磁辐射", "sthjj", COMPLEX),
        ),
    ),
    node(
        "jtys",
        "交通运输",
        node(
            "ggjt",
            "公共交通",
            leaf("xlzd", "公交线路站点", "jgw", COMPLEX),
            leaf("gjfw", "公交服务投诉", "jgw", STANDARD),
            leaf("dtfw", "轨道交通服务", "jgw", STANDARD),
        ),
        node(
            "czc",
            "出租汽车与网约车",
            leaf("czts", "出租车服务投诉", "jgw", STANDARD),
            leaf("wyc", "网约车投诉", "jgw", STANDARD),
            leaf("ywwp", "出租车遗失物品", "jgw", CONSULT),
        ),
        node(
            "tcgl",
            "停车管理",
            leaf("wztc", "违章停车", "jjzd", STANDARD),
            leaf("tcsf", "停车收费", "scjgj", STANDARD),
            leaf("ggtc", "公共停车场管理", "jatz", STANDARD),
            leaf("gxdc", "共享单车乱停放", "jgw", STANDARD),
        ),
        node(
            "jtzx",
            "道路交通秩序",
            leaf("xhd", "信号灯故障", "jjzd", EMERGENCY),
            leaf("jtyd", "交通拥堵", "jjzd", STANDARD),
            leaf("bzbx", "交通标志标线", "jjzd", STANDARD),
        ),
    ),
    node(
        "jywt",
        "教育文体",
        node(
            "jcjy",
            "基础教育",
            leaf("rxzx", "入学咨询", "jyj", CONSULT),
            leaf("xqhf", "学区划分", "jyj", STANDARD),
            leaf("xxgl", "学校管理", "jyj", STANDARD),
            leaf("jsxw", "教师行为投诉", "jyj", STANDARD),
        ),
        node(
            "xwpx",
            "校外培训",
            leaf("pxtf", "培训机构退费", "jyj", STANDARD),
            leaf("wzbx", "无证办学", "jyj", STANDARD),
        ),
        node(
            "wh",
            "文化",
            leaf("cgfw", "文化场馆服务", "whlyj", STANDARD),
            leaf("ylcs", "娱乐场所扰民", "whlyj", STANDARD),
            leaf("wwbh", "文物与历史建筑保护", "whlyj", COMPLEX),
        ),
        node(
            "ty",
            "体育",
            leaf("jsss", "健身设施损坏", "tyj", STANDARD),
            leaf("tycg", "体育场馆服务", "tyj", STANDARD),
            leaf("qmjs", "全民健身活动", "tyj", CONSULT),
        ),
        node(
            "qsfn",
            "青少年与妇女儿童",
            leaf("qsnqy", "青少年权益", "tw", STANDARD),
            leaf("fnqy", "妇女儿童权益", "fl", STANDARD),
            leaf("jtjf", "家庭纠纷", "fl", STANDARD),
        ),
    ),
    node(
        "ldsb",
        "劳动和社会保障",
        node(
            "ldgx",
            "劳动关系",
            leaf("tqgz", "拖欠工资", "rsj", STANDARD),
            leaf("ldht", "劳动合同纠纷", "rsj", STANDARD),
            leaf("gsrd", "工伤认定", "rsj", COMPLEX),
            leaf("zgwq", "职工维权", "zgh", STANDARD),
        ),
        node(
            "shbx",
            "社会保险",
            leaf("sbjn", "社保缴纳", "rsj", CONSULT),
            leaf("yldy", "养老金待遇", "rsj", STANDARD),
            leaf("ybbx", "医保报销", "ybj", STANDARD),
            leaf("ybzc", "医保政策咨询", "ybj", CONSULT),
        ),
        node(
            "jycy",
            "就业创业",
            leaf("jyfw", "就业服务", "rsj", CONSULT),
            leaf("cybt", "创业补贴", "rsj", STANDARD),
            leaf("jnpx", "职业技能培训", "rsj", CONSULT),
            leaf("jzzjf", "居住证积分", "rsj", CONSULT),
        ),
    ),
    node(
        "smly",
        "商贸旅游",
        node(
            "sysc",
            "商业市场",
            leaf("cssc", "超市商场服务", "sww", STANDARD),
            leaf("yfk", "预付卡退费", "sww", STANDARD),
            leaf("csc", "菜市场管理", "bfjt", STANDARD),
        ),
        node(
            "ly",
            "旅游",
            leaf("lyts", "旅游投诉", "whlyj", STANDARD),
            leaf("jdfw", "景点服务", "whlyj", STANDARD),
            leaf("lxs", "旅行社纠纷", "whlyj", STANDARD),
        ),
        node(
            "yshj",
            "营商环境",
            leaf("qysq", "企业诉求", "tcb", COMPLEX),
            leaf("zczx", "惠企政策咨询", "fgw", CONSULT),
            leaf("kjxm", "科技项目申报", "kw", CONSULT),
            leaf("yqfw", "园区企业服务", "sbgx", STANDARD),
        ),
    ),
    node(
        "wsjs",
        "卫生计生",
        node(
            "ylfw",
            "医疗服务",
            leaf("fwtd", "医院服务态度", "wjw", STANDARD),
            leaf("yljf", "医疗纠纷", "wjw", COMPLEX),
            leaf("sqws", "社区卫生服务中心", "wjw", STANDARD),
        ),
        node(
            "ggws",
            "公共卫生",
            leaf("ymjz", "疫苗接种", "wjw", CONSULT),
            leaf("bmsw", "病媒生物防制", "wjw", STANDARD),
            leaf("ggcs", "公共场所卫生", "wjw", STANDARD),
        ),
        node(
            "fyjk",
            "生育与妇幼保健",
            leaf("syzc", "生育支持政策", "wjw", CONSULT),
            leaf("fybj", "妇幼保健", "wjw", CONSULT),
        ),
    ),
    node(
        "mz",
        "民政",
        node(
            "ylfw",
            "养老服务",
            leaf("yljg", "养老机构", "mzj", STANDARD),
            leaf("jjyl", "居家养老", "mzj", STANDARD),
            leaf("lnbt", "老年人补贴", "mzj", CONSULT),
            leaf("sqzc", "社区助餐", STREET, STANDARD),
        ),
        node(
            "shjz",
            "社会救助",
            leaf("dbsq", "低保申请", "mzj", STANDARD),
            leaf("lsjz", "临时救助", "mzj", STANDARD),
            leaf("lxqt", "流浪乞讨人员救助", "mzj", STANDARD),
        ),
        node(
            "shsw",
            "社会事务",
            leaf("hydj", "婚姻登记", "mzj", CONSULT),
            leaf("bzfw", "殡葬服务", "mzj", STANDARD),
            leaf("shzz", "社会组织", "mzj", STANDARD),
            leaf("dmgl", "地名管理", "mzj", CONSULT),
        ),
        node(
            "cjty",
            "残疾人与退役军人",
            leaf("cjrbt", "残疾人补贴", "cl", STANDARD),
            leaf("wzass", "无障碍设施", "cl", STANDARD),
            leaf("tyaz", "退役军人安置", "tyjrj", STANDARD),
            leaf("yfdy", "优抚待遇", "tyjrj", CONSULT),
        ),
    ),
    node(
        "ggaq",
        "公共安全",
        node(
            "za",
            "社会治安",
            leaf("zawt", "治安问题", "gafj", STANDARD),
            leaf("hjbl", "户籍办理", "gafj", CONSULT),
            leaf("crj", "出入境证件", "gafj", CONSULT),
            leaf("dxzp", "电信网络诈骗", "gafj", STANDARD),
        ),
        node(
            "xf",
            "消防安全",
            leaf("xftd", "消防通道堵塞", "xfzd", STANDARD),
            leaf("xfss", "消防设施损坏", "xfzd", STANDARD),
            leaf("ddcc", "电动自行车楼道充电", STREET, STANDARD),
            leaf("hzyh", "火灾隐患", "xfzd", EMERGENCY),
        ),
        node(
            "aqsc",
            "安全生产",
            leaf("aqyh", "安全生产隐患", "yjglj", STANDARD),
            leaf("whp", "危险化学品", "yjglj", EMERGENCY),
            leaf("gkzw", "高空坠物隐患", STREET, EMERGENCY),
        ),
        node(
            "mf",
            "民防",
            leaf("mfgc", "民防工程", "mfb", STANDARD),
            leaf("fkjb", "防空警报", "mfb", CONSULT),
        ),
        node(
            "mdjf",
            "矛盾纠纷与法律服务",
            leaf("rmtj", "人民调解", "sfj", STANDARD),
            leaf("flyz", "法律援助", "sfj", CONSULT),
            leaf("gzfw", "公证服务", "sfj", CONSULT),
            leaf("ljjf", "邻里纠纷", STREET, STANDARD),
        ),
    ),
    node(
        "scjg",
        "市场监管",
        node(
            "spaq",
            "食品安全",
            leaf("spzl", "食品质量", "scjgj", STANDARD),
            leaf("cyws", "餐饮卫生", "scjgj", STANDARD),
            leaf("wzjy", "无证经营食品", "scjgj", STANDARD),
            leaf("wmsp", "外卖食品", "scjgj", STANDARD),
        ),
        node(
            "xfwq",
            "消费维权",
            leaf("spts", "商品质量投诉", "scjgj", STANDARD),
            leaf("fwxf", "服务消费纠纷", "scjgj", STANDARD),
            leaf("jgwf", "价格违法", "scjgj", STANDARD),
            leaf("xjgg", "虚假广告", "scjgj", STANDARD),
        ),
        node(
            "tzsb",
            "特种设备",
            leaf("dtkr", "电梯故障困人", "scjgj", EMERGENCY),
            leaf("sbaq", "特种设备安全", "scjgj", STANDARD),
        ),
        node(
            "ypqx",
            "药品医疗器械",
            leaf("ypzl", "药品质量", "scjgj", STANDARD),
            leaf("ylqx", "医疗器械", "scjgj", STANDARD),
        ),
        node(
            "qydj",
            "企业登记与知识产权",
            leaf("qyzc", "企业注册登记", "scjgj", CONSULT),
            leaf("gtgs", "个体工商户", "scjgj", CONSULT),
            leaf("zscq", "知识产权保护", "scjgj", COMPLEX),
        ),
    ),
    node(
        "zfgl",
        "住房保障与房屋管理",
        node(
            "wygl",
            "物业管理",
            leaf("wyfw", "物业服务", "fgj", STANDARD),
            leaf("wyf", "物业费纠纷", "fgj", STANDARD),
            leaf("ywh", "业主大会与业委会", STREET, STANDARD),
            leaf("ggbw", "公共部位维修", "fgj", STANDARD),
        ),
        node(
            "fwaq",
            "房屋安全",
            leaf("fwsl", "房屋渗漏", "fgj", STANDARD),
            leaf("wfyh", "危房隐患", "fgj", EMERGENCY),
            leaf("zxwg", "装修违规", "fgj", STANDARD),
        ),
        node(
            "zfbz",
            "住房保障",
            leaf("lzf", "廉租住房", "fgj", STANDARD),
            leaf("gzf", "公共租赁住房", "fgj", CONSULT),
            leaf("gycq", "共有产权保障房", "fgj", CONSULT),
            leaf("zggf", "直管公房租赁", "jazy", STANDARD),
        ),
        node(
            "zljy",
            "房屋租赁与交易",
            leaf("qz", "群租", STREET, STANDARD),
            leaf("zljf", "租赁纠纷", "fgj", STANDARD),
            leaf("fcjy", "房地产交易", "fgj", CONSULT),
            leaf("jfwt", "新房交付问题", "fgj", COMPLEX),
        ),
        node(
            "jfxs",
            "旧住房修缮",
            leaf("xsgc", "旧住房修缮工程", "fgj", COMPLEX),
            leaf("mljy", "美丽家园改造", STREET, COMPLEX),
        ),
    ),
    node(
        "csgl",
        "城市管理",
        node(
            "srhj",
            "市容环境",
            leaf("wzdj", "违章搭建", STREET, STANDARD),
            leaf("zdjy", "占道经营", "cgzfj", STANDARD),
            leaf("ltgg", "乱张贴小广告", "cgzfj", STANDARD),
            leaf("hwzp", "户外招牌", "lhsrj", STANDARD),
        ),
        node(
            "ljcl",
            "垃圾处理",
            leaf("ljfl", "垃圾分类", "lhsrj", STANDARD),
            leaf("qybj", "垃圾清运不及时", "lhsrj", STANDARD),
            leaf("jzlj", "建筑垃圾", "lhsrj", STANDARD),
            leaf("djlj", "大件垃圾", STREET, STANDARD),
        ),
        node(
            "lh",
            "绿化",
            leaf("smxj", "树木修剪", "lhsrj", STANDARD),
            leaf("dsdz", "倒树断枝", "lhsrj", EMERGENCY),
            leaf("lhph", "绿化破坏", "lhsrj", STANDARD),
            leaf("gyfw", "公园服务", "lhsrj", STANDARD),
        ),
        node(
            "hwbj",
            "环卫保洁",
            leaf("dlbj", "道路保洁", "lhsrj", STANDARD),
            leaf("ggcs", "公共厕所", "lhsrj", STANDARD),
        ),
        node(
            "dwgl",
            "动物管理",
            leaf("yqrm", "养犬扰民", "gafj", STANDARD),
            leaf("lldw", "流浪动物", STREET, STANDARD),
            leaf("syjq", "违规饲养家禽", STREET, STANDARD),
        ),
    ),
    node(
        "nlsw",
        "农林水务",
        node(
            "gs",
            "供水",
            leaf("ts", "停水", "zlsb", EMERGENCY),
            leaf("szwt", "水质问题", "zlsb", STANDARD),
            leaf("sybz", "水压不足", "zlsb", STANDARD),
            leaf("gdpl", "供水管道破裂", "zlsb", EMERGENCY),
        ),
        node(
            "psfx",
            "排水防汛",
            leaf("dljs", "道路积水", "swuj", EMERGENCY),
            leaf("psdd", "排水管道堵塞", "swuj", STANDARD),
            leaf("fxft", "防汛防台", "swuj", EMERGENCY),
        ),
        node(
            "hd",
            "河道管理",
            leaf("hdbj", "河道保洁", "swuj", STANDARD),
            leaf("hdzy", "河道违法占用", "swuj", STANDARD),
        ),
        node(
            "ly",
            "林业",
            leaf("gsmm", "古树名木保护", "lhsrj", COMPLEX),
            leaf("ldbh", "林地保护", "lhsrj", STANDARD),
        ),
    ),
    node(
        "ggsy",
        "公用事业",
        node(
            "gd",
            "供电",
            leaf("td", "停电", "sbgd", EMERGENCY),
            leaf("dybw", "电压不稳", "sbgd", STANDARD),
            leaf("dfjl", "电费计量", "sbgd", CONSULT),
        ),
        node(
            "rq",
            "燃气",
            leaf("rqxl", "燃气泄漏", "dzrq", EMERGENCY),
            leaf("tq", "停气", "dzrq", EMERGENCY),
            leaf("bjwx", "燃气表具维修", "rqsb", STANDARD),
            leaf("rqf", "燃气费", "dzrq", CONSULT),
        ),
        node(
            "tx",
            "通信",
            leaf("kdgz", "宽带故障", "dxja", STANDARD),
            leaf("xhc", "移动信号差", "ydja", STANDARD),
            leaf("txzf", "通信资费", "dxja", CONSULT),
        ),
    ),
    node(
        "zwfw",
        "政务服务及其他",
        node(
            "bszn",
            "政务办事",
            leaf("bszx", "办事指南咨询", "xzfwzx", CONSULT),
            leaf("ckfw", "窗口服务态度", "xzfwzx", STANDARD),
            leaf("ywtb", "一网通办", "xzfwzx", STANDARD),
            # A service hall's 差评 becomes an order here (RATING_CATEGORY, hotline.ratings).
            leaf("hczg", "好差评差评整改", "xzfwzx", RECTIFY),
        ),
        node(
            "gjj",
            "住房公积金",
            leaf("tq", "公积金提取", "gjj", CONSULT),
            leaf("dk", "公积金贷款", "gjj", CONSULT),
        ),
        node(
            "jyxf",
            "意见建议与信访",
            leaf("yjjy", "意见建议", "xfb", COMPLEX),
            leaf("xfsx", "信访事项", "xfb", COMPLEX),
            leaf("xxgk", "政府信息公开", "xfb", STANDARD),
        ),
        node(
            "sscz",
            "税务财政",
            leaf("nsfw", "纳税服务", "swj", CONSULT),
            leaf("fpwt", "发票问题", "swj", STANDARD),
            leaf("czbt", "财政补贴", "czj", STANDARD),
        ),
        node(
            "qt",
            "其他",
            leaf("gqfw", "区属国企服务", "gzw", STANDARD),
            leaf("sqgz", "居委会工作", STREET, STANDARD),
            leaf("qtsx", "其他事项", "dqb", STANDARD),
            leaf("byxg", "表扬感谢", "dqb", CONSULT),
        ),
    ),
)


class FlatCategory(NamedTuple):
    code: str
    name: str
    level: int
    parent_code: str
    default_unit: str
    policy: str
    sort_order: int


def flat_categories() -> list[FlatCategory]:
    """The tree parents-first, with full codes: the order the loader must create them in."""
    rows: list[FlatCategory] = []

    def walk(specs: tuple[CategorySpec, ...], parent_code: str, level: int) -> None:
        for i, spec in enumerate(specs, start=1):
            code = f"{parent_code}-{spec.code}" if parent_code else spec.code
            rows.append(
                FlatCategory(code, spec.name, level, parent_code, spec.default_unit, spec.policy, i)
            )
            walk(spec.children, code, level + 1)

    walk(CATEGORIES, "", 1)
    return sorted(rows, key=lambda r: r.level)  # stable: siblings keep their order


# --------------------------------------------------------------------------------------------
# Users (all with DEMO_PASSWORD). Unit handlers are made per handling unit by the loader.
# --------------------------------------------------------------------------------------------

ROLE_USERS: tuple[UserSpec, ...] = (
    # The administrator also reviews the knowledge base (publishes what units propose), so the
    # demo's article workflow can be tried end to end.
    UserSpec(
        "admin",
        "周文斌",
        (Role.ADMIN, Role.KNOWLEDGE_REVIEWER),
        "administrator: org tree, categories, users; knowledge-base reviewer",
    ),
    UserSpec("operator", "李晓燕", (Role.OPERATOR,), "operator (话务员): registers orders"),
    UserSpec("dispatcher", "陈志强", (Role.DISPATCHER,), "dispatcher (派单员): dispatch, review"),
    UserSpec("callback", "孙晓丽", (Role.CALLBACK_AGENT,), "callback agent (回访员)"),
    UserSpec("supervisor", "刘卫东", (Role.SUPERVISOR,), "supervisor (督办员): urge, sample"),
    UserSpec("leader", "黄振华", (Role.LEADER,), "leader (领导): dashboards, read-only"),
)

UNIT_HANDLER_PREFIX = "unit-"


def unit_handler_username(unit_code: str) -> str:
    return f"{UNIT_HANDLER_PREFIX}{unit_code}"


# Each 居委会 has one handler too (``unit-<code>``, e.g. ``unit-dnl-01``), so that assignment
# inside a street (二级派单) can be tried from the sub-unit's side: its desk, signing for, replying,
# handing back up. The data file has no contact person for them; a name is made from the code.
_NEIGHBOURHOOD_SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱马胡郭何高林罗"
_NEIGHBOURHOOD_GIVEN = (
    *("丽华", "秀英", "建国", "美玲", "志明"),
    *("红梅", "国强", "海燕", "玉兰", "伟民"),
)


def neighbourhood_handler_name(code: str) -> str:
    """A stable made-up name for the 居委会's handler (the same on every load)."""
    n = zlib.crc32(code.encode())
    surname = _NEIGHBOURHOOD_SURNAMES[n % len(_NEIGHBOURHOOD_SURNAMES)]
    return surname + _NEIGHBOURHOOD_GIVEN[(n // 97) % len(_NEIGHBOURHOOD_GIVEN)]


def neighbourhoods() -> list[tuple[Street, Neighbourhood]]:
    """Every 居委会 with its street, in the data file's order."""
    return [(street, n) for street in STREETS for n in street.neighbourhoods]
