"""Write the demo knowledge base, ``articles.csv`` beside this file (run once; the CSV is data).

    hotline kb demo-articles [FILE]

(``python -m hotline.kb.demo.generate`` cannot run: its package, :mod:`hotline.kb.demo`, imports
models before Django is set up.) FILE: write elsewhere, to compare with the committed file.

One article per leaf of the demo taxonomy (:mod:`hotline.org.demo_district`), from templates by
the leaf's deadline policy (a consultation answers how to apply; a complaint says who handles it,
what the citizen can do and how long it takes), filled with facts of real Shanghai policy topics
where :data:`FACTS` has them; a second "常见问题" article for consultation topics, up to about
200. Dates are relative to :data:`hotline.kb.demo.ANCHOR`: a few articles are past their review
date, a few are still in review and one is a draft. Deterministic (seeded).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from hotline.kb.columns import COLUMNS
from hotline.kb.demo import ANCHOR, ARTICLES_CSV

# Facts by leaf code: (keywords, materials or steps, the rule or figure citizens ask about,
# policy document, document number). Topics and documents are real; figures are typical.
FACTS: dict[str, tuple[str, str, str, str, str]] = {
    "jzdt-zczx": (
        "加装电梯,多层住宅,业主同意",
        "本幢业主表决同意书；房屋产权证明；加装电梯设计方案",
        "须经本幢房屋专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，"
        "并经参与表决的四分之三以上业主同意",
        "上海市既有多层住宅增设电梯指导意见",
        "沪建房管联〔2019〕749号",
    ),
    "jzdt-btsq": (
        "加装电梯,补贴,财政补贴",
        "竣工验收证明；特种设备使用登记证；补贴申请表；业主出资证明",
        "竣工并取得使用登记后，按每台最高28万元给予财政补贴",
        "上海市既有多层住宅增设电梯指导意见",
        "沪建房管联〔2019〕749号",
    ),
    "ghzx": (
        "规划,控制性详细规划,规划公示",
        "可在区规划资源局网站或上海市规划资源局“规划公示”栏目查询",
        "控制性详细规划调整须公示不少于30日，市民可在公示期内提出书面意见",
        "上海市城乡规划条例",
        "上海市人民代表大会常务委员会公告第7号",
    ),
    "jszx": (
        "施工许可,建设审批,一网通办",
        "施工许可申请表；中标通知书；施工图审查合格书；质量安全监督手续",
        "材料齐全的，自受理之日起3个工作日内办结",
        "建筑工程施工许可管理办法",
        "住房和城乡建设部令第18号",
    ),
    "rxzx": (
        "入学,义务教育,幼升小,小升初,入学登记",
        "户口簿；房产证或租赁备案证明；适龄儿童出生证明；居住证（非本市户籍）",
        "每年4月上旬在“上海市义务教育入学报名系统”完成入学信息登记",
        "上海市义务教育阶段学校招生入学工作实施意见",
        "沪教委基〔2024〕5号",
    ),
    "qmjs": (
        "全民健身,市民运动会,健身步道",
        "可通过“来沪动”平台报名各类市民体育活动",
        "公共体育场馆每周向市民免费或低收费开放不少于35小时",
        "上海市市民体育健身条例",
        "上海市人民代表大会常务委员会公告第27号",
    ),
    "sbjn": (
        "社保,社会保险,缴费基数,灵活就业",
        "身份证；就业参保登记表；灵活就业人员可通过“随申办”办理",
        "缴费基数按本人上年度月平均工资确定，低于全市平均工资60%的按60%确定",
        "上海市城镇职工社会保险缴费基数管理办法",
        "沪人社规〔2023〕12号",
    ),
    "ybzc": (
        "医保,门诊报销,起付线,医保政策",
        "社会保障卡或医保电子凭证",
        "在职职工门诊起付标准为每年1500元，超过部分按医院等级报销",
        "上海市职工基本医疗保险办法",
        "沪府令第8号",
    ),
    "jyfw": (
        "就业,失业登记,就业援助,招聘会",
        "身份证；户口簿或居住证；就业失业登记证明",
        "可在户籍地或居住地社区事务受理服务中心办理失业登记，享受免费职业介绍",
        "上海市就业促进条例",
        "上海市人民代表大会常务委员会公告第13号",
    ),
    "jnpx": (
        "职业技能培训,培训补贴,技能证书",
        "身份证；培训报名表；取得的职业资格或技能等级证书",
        "取得证书后按培训项目给予培训费用50%至100%的补贴",
        "上海市职业技能培训补贴管理办法",
        "沪人社规〔2022〕7号",
    ),
    "jzzjf": (
        "居住证积分,积分申请,随申办",
        "居住证；学历学位证书；专业技术职称证书；社保缴费记录",
        "标准分值为120分，积分达到标准分值可享受子女教育、社保等公共服务待遇",
        "上海市居住证积分管理办法",
        "沪府规〔2023〕3号",
    ),
    "zczx": (
        "惠企政策,扶持资金,企业服务",
        "企业营业执照；申报表；上年度财务报表；纳税证明",
        "政策通过“一网通办”惠企政策专栏免申即享或在线申报，审核一般在20个工作日内完成",
        "静安区促进产业发展扶持政策",
        "静府规〔2023〕2号",
    ),
    "kjxm": (
        "科技项目,高新技术企业,项目申报",
        "项目申报书；企业营业执照；知识产权证明；研发费用专项审计报告",
        "按年度申报指南在规定时间内通过科技管理平台在线申报",
        "上海市科技计划项目管理办法",
        "沪科规〔2022〕4号",
    ),
    "ymjz": (
        "疫苗接种,预防接种,儿童疫苗,流感疫苗",
        "预防接种证；身份证件",
        "免疫规划疫苗免费接种，可在居住地社区卫生服务中心预防接种门诊预约",
        "疫苗管理法",
        "中华人民共和国主席令第30号",
    ),
    "syzc": (
        "生育,生育津贴,生育保险,育儿假",
        "身份证；出生医学证明；结婚证；生育医学证明",
        "生育津贴按用人单位上年度职工月平均工资计发，产假158天，配偶陪产假10天",
        "上海市人口与计划生育条例",
        "上海市人民代表大会常务委员会公告第68号",
    ),
    "fybj": (
        "孕产妇,妇幼保健,产检,母子健康手册",
        "身份证；早孕检查证明",
        "怀孕12周内到居住地社区卫生服务中心建立《上海市母子健康手册》",
        "上海市母婴保健条例",
        "上海市人民代表大会常务委员会公告第3号",
    ),
    "lnbt": (
        "老年人补贴,综合津贴,高龄",
        "身份证；户口簿；本人银行账户",
        "本市户籍65周岁以上老年人按年龄段每月领取75元至600元综合津贴",
        "上海市老年综合津贴制度实施办法",
        "沪府办规〔2016〕17号",
    ),
    "dbsq": (
        "低保,最低生活保障,社会救助",
        "身份证；户口簿；家庭收入和财产情况申报表；经济状况核对授权书",
        "家庭月人均可支配收入低于本市低保标准（每人每月1510元）且财产符合规定",
        "上海市社会救助条例",
        "上海市人民代表大会常务委员会公告第48号",
    ),
    "lsjz": (
        "临时救助,急难救助,社会救助",
        "身份证；户口簿；困难情况说明及相关证明",
        "因突发事件、意外伤害、重大疾病导致基本生活暂时困难的家庭可申请",
        "上海市社会救助条例",
        "上海市人民代表大会常务委员会公告第48号",
    ),
    "hydj": (
        "婚姻登记,结婚登记,离婚登记,预约",
        "双方身份证；户口簿；近期2寸半身免冠合影照片3张",
        "婚姻登记实行“跨省通办”，可在“随申办”预约，当场办结",
        "婚姻登记条例",
        "国务院令第387号",
    ),
    "dmgl": (
        "地名,门牌,门弄号",
        "门弄号申请表；房屋产权证明；规划许可文件",
        "门弄号编制由区民政局受理，材料齐全的5个工作日内办结",
        "上海市地名管理条例",
        "上海市人民代表大会常务委员会公告第70号",
    ),
    "yfdy": (
        "优抚,退役军人,抚恤,优待证",
        "身份证；退役证明；户口簿",
        "退役军人优待证可在户籍地退役军人服务站申领，凭证享受交通、文旅等优待",
        "退役军人保障法",
        "中华人民共和国主席令第63号",
    ),
    "hjbl": (
        "户籍,户口迁移,落户,身份证",
        "户口簿；身份证；迁入地房屋产权证明或亲属关系证明",
        "户口迁移可在“一网通办”申请，户籍窗口材料齐全的当场受理",
        "上海市常住户口管理规定",
        "沪府规〔2019〕5号",
    ),
    "crj": (
        "出入境,护照,港澳通行证,往来台湾通行证",
        "身份证；户口簿；符合要求的证件照",
        "全国通办，证件一般7个工作日内制作完成",
        "出境入境管理法",
        "中华人民共和国主席令第57号",
    ),
    "fkjb": (
        "防空警报,试鸣,民防",
        "无须办理",
        "每年9月第三个星期六上午11:35至11:58全市试鸣防空警报",
        "上海市民防条例",
        "上海市人民代表大会常务委员会公告第12号",
    ),
    "flyz": (
        "法律援助,免费律师,经济困难",
        "身份证；经济困难状况说明表；与所申请事项有关的材料",
        "经济困难或属法定情形的公民可申请免费法律咨询、代理和刑事辩护",
        "法律援助法",
        "中华人民共和国主席令第93号",
    ),
    "gzfw": (
        "公证,委托公证,继承公证",
        "身份证；户口簿；与公证事项有关的证明材料",
        "公证机构受理后一般在15个工作日内出具公证书",
        "公证法",
        "中华人民共和国主席令第39号",
    ),
    "qyzc": (
        "企业注册,营业执照,一网通办,开办企业",
        "登记申请书；公司章程；股东身份证明；住所使用证明",
        "开办企业全程网办，营业执照、公章、发票和社保登记1个工作日内办结",
        "市场主体登记管理条例",
        "国务院令第746号",
    ),
    "gtgs": (
        "个体工商户,营业执照,经营场所",
        "经营者身份证；经营场所使用证明；登记申请书",
        "材料齐全的当场办结，可通过“一网通办”全程电子化办理",
        "促进个体工商户发展条例",
        "国务院令第755号",
    ),
    "gzf": (
        "公共租赁住房,公租房,申请条件",
        "身份证；户口簿或居住证；劳动合同和社保缴纳证明；住房情况证明",
        "在本市无自有住房或人均住房面积低于15平方米，并按规定缴纳社保",
        "上海市发展公共租赁住房的实施意见",
        "沪府发〔2010〕32号",
    ),
    "gycq": (
        "共有产权保障房,经济适用房,申请",
        "户口簿；身份证；婚姻状况证明；家庭收入和财产证明",
        "本市户籍满3年，人均住房建筑面积低于15平方米，收入和财产符合标准",
        "上海市共有产权保障住房管理办法",
        "沪府令第39号",
    ),
    "fcjy": (
        "房地产交易,网签,过户,限购",
        "买卖双方身份证；房地产权证；买卖合同；完税证明",
        "房屋买卖须网签备案，交易登记材料齐全的5个工作日内办结",
        "上海市房地产登记条例",
        "上海市人民代表大会常务委员会公告第19号",
    ),
    "dfjl": (
        "电费,阶梯电价,峰谷电价,电表",
        "户号；身份证；房屋产权证明",
        "居民阶梯电价年用电量3120千瓦时以内为第一档，可申请峰谷分时电价",
        "上海市居民生活用电阶梯电价实施方案",
        "沪发改价管〔2012〕12号",
    ),
    "rqf": (
        "燃气费,阶梯气价,燃气账单",
        "燃气用户号；身份证",
        "居民年用气量310立方米以内为第一档，每立方米3元",
        "上海市居民生活用气阶梯价格实施方案",
        "沪发改价管〔2015〕7号",
    ),
    "txzf": (
        "通信资费,套餐,携号转网,话费",
        "身份证；服务密码",
        "可通过营业厅或客服热线查询套餐和变更；携号转网须在网满120天",
        "电信条例",
        "国务院令第291号",
    ),
    "bszx": (
        "办事指南,一网通办,随申办,社区事务受理",
        "按事项的办事指南准备，可在“一网通办”查询",
        "大多数个人事项可在任一社区事务受理服务中心“全市通办”",
        "上海市“一网通办”工作方案",
        "沪府办〔2018〕31号",
    ),
    "tq": (
        "公积金提取,租房提取,购房提取,销户",
        "身份证；本人银行卡；租赁备案证明或购房合同",
        "租房提取每月最高可提取4500元，可通过“随申办”线上办理",
        "上海市住房公积金管理若干规定",
        "沪府令第87号",
    ),
    "dk": (
        "公积金贷款,贷款额度,首套房",
        "购房合同；身份证；婚姻状况证明；收入证明",
        "首套住房个人最高贷款额度80万元，家庭最高160万元",
        "上海市住房公积金个人购房贷款管理办法",
        "沪公积金管委会〔2023〕3号",
    ),
    "nsfw": (
        "纳税服务,个人所得税,汇算清缴,电子税务局",
        "身份证；个人所得税APP或电子税务局账号",
        "每年3月1日至6月30日办理上一年度个人所得税综合所得汇算",
        "个人所得税法",
        "中华人民共和国主席令第9号",
    ),
}

_CONSULT_SECTIONS = (
    "<h2>适用对象</h2><p>{who}</p>"
    "<h2>办理材料</h2><ul>{materials}</ul>"
    "<h2>办理要点</h2><p>{rule}。</p>"
    "<h2>办理渠道</h2><ol><li>线上：“一网通办”或“随申办”搜索“{name}”。</li>"
    "<li>线下：{unit}或就近的社区事务受理服务中心窗口（工作日9:00-17:00）。</li></ol>"
    "<h2>咨询电话</h2><p>情况特殊的，可致电{unit}（{phone}）咨询。</p>"
    # How an operator answers is a note for staff (an <aside>): the portal, the search and the
    # text "Answer with this article" copies leave it out (hotline.kb.content.public_part).
    "<aside><h2>答复口径（内部）</h2><p>市民来电咨询{name}的，按以上要点答复；情况特殊的，"
    "告知可拨打{unit}咨询电话{phone}，或由热线转交{unit}在1个工作日内答复。</p></aside>"
)
_HANDLE_SECTIONS = (
    "<h2>责任单位</h2><p>{name}问题由{unit}负责受理和处置（权责清单）。</p>"
    "<h2>受理要点</h2><ul><li>问清具体地址（路名、门牌号或小区名称）和发生时间。</li>"
    "<li>问清持续情况，能提供照片的请市民通过“随申办”上传。</li>"
    "<li>{urgent}</li></ul>"
    "<h2>处理时限</h2><p>{deadline}</p>"
    "<h2>答复口径</h2><p>已记录您反映的{name}问题，将转{unit}处理，{unit}会在时限内与您联系"
    "并答复处理结果。{extra}</p>"
)
_FAQ_SECTIONS = (
    "<h2>常见问题</h2>"
    "<p><strong>问：{name}可以全程网上办理吗？</strong></p>"
    "<p>答：可以。登录“一网通办”或“随申办”，搜索“{name}”，按提示上传材料即可。</p>"
    "<p><strong>问：需要本人到场吗？</strong></p>"
    "<p>答：线上办理无须到场；线下可委托他人代办，须携带委托书和双方身份证。</p>"
    "<p><strong>问：办理进度怎么查？</strong></p>"
    "<p>答：在“随申办”“我的办件”中查看，或致电{unit}（{phone}）。</p>"
)
_URGENT = {
    "emergency": "涉及人身安全或大面积影响的，按紧急件登记并立即电话通知责任单位。",
    "complex": "涉及多个部门或需现场勘查的，由牵头单位会同相关部门办理。",
}
_EXTRA = {
    "consult": "",
    "standard": "如属其他单位职责，将在2个工作日内退回并重新派发。",
    "complex": "涉及多个部门的，由牵头单位协调答复，可能需要现场勘查。",
    "emergency": "抢修期间请注意安全，远离危险区域。",
}
_WHO = "符合条件的本区户籍居民、持有效居住证的常住人口及在本区注册的企业，具体以政策规定为准。"


def _leaves() -> list[tuple[str, str, str, str]]:
    """(category code, leaf name, unit code, policy) for every leaf of the demo taxonomy."""
    from hotline.org import demo_district as district

    out = []

    def walk(specs, prefix: str) -> None:
        for spec in specs:
            if spec.children:
                walk(spec.children, f"{prefix}{spec.code}-")
            else:
                out.append((f"{prefix}{spec.code}", spec.name, spec.default_unit, spec.policy))

    walk(district.CATEGORIES, "")
    return out


def articles(seed: int = 19) -> list[dict[str, str]]:
    from hotline.org import demo_district as district

    rng = random.Random(seed)
    units = {u.code: u for u in district.HANDLING_UNITS}
    policies = {p.code: p.description for p in district.POLICIES}
    streets = [s.code for s in district.STREETS]
    rows: list[dict[str, str]] = []
    for code, name, unit_code, policy in _leaves():
        if policy == district.RECTIFY:
            # The hall's bad-rating follow-ups (差评整改), orders opened by hotline.ratings, never
            # a citizen's question: no article. The leaf came after the file was written, and
            # skipped before any draw the seeded articles stay as they were.
            continue
        if unit_code == district.STREET:
            unit_code = rng.choice(streets)
        unit = units[unit_code]
        short = code.split("-", 1)[1]
        facts = FACTS.get(short)
        effective = ANCHOR - dt.timedelta(days=rng.randint(60, 900))
        review = ANCHOR + dt.timedelta(days=rng.randint(60, 540))
        base = {
            "unit": unit_code,
            "categories": code,
            "effective_on": effective.isoformat(),
            "review_by": review.isoformat(),
            "public": "yes",
            "state": "published",
            "source_name": facts[3] if facts else "",
            "source_number": facts[4] if facts else "",
        }
        if policy == "consult" or facts:
            keywords, materials, rule = facts[:3] if facts else (name, "身份证；申请表", name)
            body = _CONSULT_SECTIONS.format(
                who=_WHO,
                materials="".join(f"<li>{m}</li>" for m in materials.split("；")),
                rule=rule,
                name=name,
                unit=unit.name,
                phone=unit.contact_phone,
            )
            rows.append(
                {
                    **base,
                    "title": f"{name}：办理条件、材料和渠道",
                    "keywords": keywords,
                    "body": body,
                }
            )
            rows.append(
                {
                    **base,
                    "title": f"{name}常见问题",
                    "keywords": keywords,
                    "body": _FAQ_SECTIONS.format(
                        name=name, unit=unit.name, phone=unit.contact_phone
                    ),
                }
            )
        else:
            body = _HANDLE_SECTIONS.format(
                name=name,
                unit=unit.name,
                urgent=_URGENT.get(policy, "属于咨询或建议的，按一般件登记。"),
                deadline=policies[policy],
                extra=_EXTRA[policy],
            )
            rows.append(
                {
                    **base,
                    "title": f"{name}问题的受理和答复口径",
                    "keywords": name,
                    "body": body,
                    "public": "no",
                }
            )
    # A few past their review date, a few in review, one draft: what a real base looks like.
    for row in rng.sample(rows, 8):
        row["review_by"] = (ANCHOR - dt.timedelta(days=rng.randint(5, 120))).isoformat()
    for row in rng.sample([r for r in rows if r["state"] == "published"], 5):
        row["state"] = "in_review"
    rng.choice([r for r in rows if r["state"] == "published"])["state"] = "draft"
    return rows


def write(path: Path = ARTICLES_CSV) -> int:
    """Write the articles to ``path`` (the demo's file by default); returns how many."""
    rows = articles()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
