#!/usr/bin/env python3
"""gen_content.py DEST [--services N] [--docs N] [--seed S] [--src DIR]

Writes a content source tree (docs/content-format.md) of N service guides and N
disclosure documents (default 20,000 each) into DEST, for the benchmarks: the demo
tree (assets/content) as it is, plus generated items cloned from its services and
documents with new ids and realistic, varied bilingual titles made of the words
government service halls use (district + subject + matter + action; "关于…的通知",
"…管理办法", "行政处罚决定书（…案）", ...). Bodies, materials and steps are the
demo's own, so body sizes follow the demo's spread (a few hundred characters up to
27,000). Dates are spread over 2015-2026; about a third of the documents are
expired, repealed or amended. Deterministic for a seed.

--long-guide adds services/longest-guide.json: the longest guide the compiler's caps
allow (sync/content_build.c): 500 materials, 500 steps, 500 fees and 500 questions
(MAX_LIST), summary, conditions and legal basis of about 64 KiB each in Chinese
(MAX_TEXT), and the whole file under 4 MiB (MAX_JSON). For the lazy guide's bench
and test (guide_lazy).
"""
import argparse
import datetime
import json
import os
import random
import shutil

DISTRICTS = [
    ("", ""), ("", ""), ("", ""), ("上城区", "Shangcheng District "), ("拱墅区", "Gongshu District "),
    ("西湖区", "Xihu District "), ("滨江区", "Binjiang District "), ("萧山区", "Xiaoshan District "),
    ("余杭区", "Yuhang District "), ("临平区", "Linping District "), ("钱塘区", "Qiantang District "),
    ("富阳区", "Fuyang District "), ("临安区", "Lin'an District "), ("桐庐县", "Tonglu County "),
    ("淳安县", "Chun'an County "), ("建德市", "Jiande City "),
]

SUBJECTS = [
    ("建设工程", "construction project"), ("食品经营", "food business"), ("药品零售", "retail pharmacy"),
    ("道路运输", "road transport"), ("医疗机构", "medical institution"), ("养老机构", "elderly care institution"),
    ("民办学校", "private school"), ("出租汽车", "taxi"), ("户外广告", "outdoor advertising"),
    ("城镇排水", "urban drainage"), ("危险化学品", "hazardous chemicals"), ("烟花爆竹", "fireworks"),
    ("娱乐场所", "entertainment venue"), ("母婴保健", "maternal and infant health"), ("残疾人", "disability"),
    ("退役军人", "veterans"), ("城乡居民", "urban and rural residents"), ("职工", "employees"),
    ("个体工商户", "individual business"), ("农民专业合作社", "farmers' cooperative"),
    ("律师事务所", "law firm"), ("旅行社", "travel agency"), ("农作物种子", "crop seed"),
    ("农药经营", "pesticide trading"), ("兽药经营", "veterinary drug trading"), ("渔业船舶", "fishing vessel"),
    ("林木采伐", "tree felling"), ("古树名木", "ancient and famous trees"), ("文物保护", "cultural relics"),
    ("社会团体", "social organisation"), ("民办非企业单位", "private non-enterprise unit"),
    ("基金会", "foundation"), ("住房公积金", "housing provident fund"), ("社会保险", "social insurance"),
    ("社保卡", "social security card"), ("医疗保险", "medical insurance"), ("失业保险", "unemployment insurance"),
    ("工伤保险", "work injury insurance"), ("养老保险", "pension insurance"), ("户口", "household registration"),
    ("居住证", "residence permit"), ("出入境证件", "exit-entry document"), ("机动车", "motor vehicle"),
    ("驾驶证", "driving licence"), ("营业执照", "business licence"), ("不动产", "real estate"),
    ("婚姻", "marriage"), ("收养", "adoption"), ("殡葬", "funeral"), ("公共场所卫生", "public place hygiene"),
    ("特种设备", "special equipment"), ("计量器具", "measuring instrument"), ("商标", "trademark"),
    ("专利", "patent"), ("个人所得税", "individual income tax"), ("增值税发票", "VAT invoice"),
    ("契税", "deed tax"), ("高龄津贴", "old-age allowance"), ("最低生活保障", "minimum living allowance"),
    ("临时救助", "temporary assistance"), ("教师资格", "teacher qualification"), ("学籍", "student record"),
    ("义务教育入学", "compulsory school enrolment"), ("就业创业", "employment and start-up"),
    ("人才引进", "talent introduction"), ("职称评审", "professional title assessment"),
]

MATTERS = [
    ("许可", "licence"), ("登记", "registration"), ("备案", "filing"), ("证明", "certificate"),
    ("资格认定", "qualification"), ("审批", "approval"), ("核发", "issue"), ("变更", "change"),
    ("注销", "deregistration"), ("延续", "renewal"), ("补办", "replacement"), ("申领", "application"),
    ("查询", "record search"), ("年度报告", "annual report"), ("核准", "authorisation"),
    ("补贴申领", "subsidy claim"), ("待遇申领", "benefit claim"), ("关系转移", "transfer"),
]

SUFFIXES = [("", ""), ("", ""), ("", ""), ("（新办）", " (new)"), ("（变更）", " (change)"),
            ("（延续）", " (renewal)"), ("（补证）", " (replacement)"), ("（首次申请）", " (first application)"),
            ("（网上办理）", " (online)"), ("（跨省通办）", " (inter-provincial)")]

DOC_VERBS = [("印发", "Issuing"), ("调整", "Adjusting"), ("加强", "Strengthening"), ("做好", "Doing Well"),
             ("开展", "Carrying Out"), ("进一步规范", "Further Regulating"), ("公布", "Publishing"),
             ("实施", "Implementing"), ("推进", "Advancing"), ("废止", "Repealing")]

DOC_NOUNS = [("管理办法", "Management Measures"), ("实施细则", "Implementing Rules"),
             ("工作方案", "Work Plan"), ("指导意见", "Guiding Opinions"), ("收费标准", "Fee Standards"),
             ("补贴政策", "Subsidy Policy"), ("服务指南", "Service Guide"), ("应急预案", "Emergency Plan"),
             ("专项检查结果", "Special Inspection Results"), ("统计公报", "Statistical Bulletin"),
             ("预算执行情况", "Budget Execution"), ("采购项目中标结果公告", "Procurement Award Notice"),
             ("公开招聘工作人员公告", "Recruitment Notice"), ("重大建设项目计划", "Major Projects Plan")]

OFFENCES = [("销售过期食品", "selling expired food"), ("发布虚假广告", "false advertising"),
            ("无证经营", "operating without a licence"), ("逾期申报", "late filing"),
            ("擅自改变林地用途", "unauthorised change of forest land use"),
            ("使用非卫生技术人员", "employing unqualified health workers"),
            ("未按规定公示价格", "failing to display prices")]

COMPANIES = [("建材", "building materials"), ("食品", "food"), ("商贸", "trading"), ("科技", "technology"),
             ("物流", "logistics"), ("餐饮", "catering"), ("医药", "pharmaceutical"), ("口腔诊所", "dental clinic")]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def dump(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)


MAX_LIST, MAX_TEXT, MAX_JSON = 500, 64 << 10, 4 << 20

ZH_SENTENCES = ["申请人应当如实提交有关材料和反映真实情况，并对其申请材料实质内容的真实性负责。",
                "受理机关对申请材料齐全、符合法定形式的，应当当场受理并出具受理凭证。",
                "申请材料不齐全或者不符合法定形式的，应当一次性告知申请人需要补正的全部内容。",
                "办理过程中需要现场核查的，核查时间不计入承诺时限。"]
EN_SENTENCES = ["Applicants submit true materials and are responsible for the truth of what they contain. ",
                "When the materials are complete and in due form, the office accepts them on the spot. ",
                "When something is missing, the office says at once everything that must be added. ",
                "Time spent on a site inspection does not count towards the promised time limit. "]


def long_text(sentences, cap, para=6):
    """Sentences up to CAP bytes of UTF-8, a new paragraph ("\n") every PARA."""
    out, n, k = [], 0, 0
    while True:
        t = sentences[k % len(sentences)] + ("\n" if k % para == para - 1 else "")
        if n + len(t.encode()) > cap:
            return "".join(out).rstrip("\n ")
        out.append(t)
        n += len(t.encode())
        k += 1


def long_guide(base):
    """The longest guide the caps allow, from a demo guide (agency, window, ...)."""
    g = dict(base)
    big = {"zh": long_text(ZH_SENTENCES, MAX_TEXT - 64), "en": long_text(EN_SENTENCES, MAX_TEXT - 64)}
    g.update(code="1133LONGEST000001", summary=big, conditions=big, legal_basis=big,
             name={"zh": "最长的办事指南（材料、步骤、收费、问答各500项）",
                   "en": "The longest guide (500 materials, steps, fees and questions)"})
    g["materials"] = [{
        "name": {"zh": f"第{i + 1}项申请材料：{ZH_SENTENCES[i % 4][:20]}", "en": f"Material {i + 1}: {EN_SENTENCES[i % 4][:40]}"},
        "required": "conditional" if i % 3 == 0 else "required",
        **({"condition": {"zh": ZH_SENTENCES[(i + 1) % 4], "en": EN_SENTENCES[(i + 1) % 4]}} if i % 3 == 0 else {}),
        "form": "original", "copies": 1 + i % 5, "paper": "A4",
        "source": {"zh": ZH_SENTENCES[(i + 2) % 4], "en": EN_SENTENCES[(i + 2) % 4]},
        **({"blank_url": f"https://zwfw.example.gov.cn/forms/longest-{i}-blank.pdf"} if i % 2 == 0 else {}),
        **({"sample_url": f"https://zwfw.example.gov.cn/forms/longest-{i}-sample.pdf"} if i % 4 == 0 else {}),
    } for i in range(MAX_LIST)]
    g["steps"] = [{"title": {"zh": f"第{i + 1}步", "en": f"Step {i + 1}"},
                   "text": {"zh": ZH_SENTENCES[i % 4] + ZH_SENTENCES[(i + 1) % 4],
                            "en": EN_SENTENCES[i % 4] + EN_SENTENCES[(i + 1) % 4]},
                   "kind": "required" if i % 5 else "optional"} for i in range(MAX_LIST)]
    g["fees"] = [{"name": {"zh": f"第{i + 1}项费用", "en": f"Fee {i + 1}"},
                  "standard": {"zh": f"每件{i + 1}元", "en": f"{i + 1} yuan each"},
                  "basis": {"zh": ZH_SENTENCES[i % 4], "en": EN_SENTENCES[i % 4]},
                  "waivable": i % 2 == 0} for i in range(MAX_LIST)]
    g["faqs"] = [{"q": {"zh": f"第{i + 1}个常见问题？", "en": f"Question {i + 1}?"},
                  "a": {"zh": ZH_SENTENCES[(i + 3) % 4], "en": EN_SENTENCES[(i + 3) % 4]}} for i in range(MAX_LIST)]
    size = len(json.dumps(g, ensure_ascii=False, indent=1).encode())
    assert size < MAX_JSON, f"the longest guide is {size} bytes, over the compiler's {MAX_JSON}"
    return g


def service_name(rnd):
    d, s, m, x = rnd.choice(DISTRICTS), rnd.choice(SUBJECTS), rnd.choice(MATTERS), rnd.choice(SUFFIXES)
    zh = d[0] + s[0] + m[0] + x[0]
    en = (d[1] + s[1] + " " + m[1] + x[1]).strip()
    return {"zh": zh, "en": en[0].upper() + en[1:]}


def doc_title(rnd, agency, year, n):
    a_zh, a_en = agency["name"]["zh"], agency["name"]["en"]
    s, v, o = rnd.choice(SUBJECTS), rnd.choice(DOC_VERBS), rnd.choice(DOC_NOUNS)
    pattern = rnd.randrange(7)
    if pattern == 0:
        return {"zh": f"{a_zh}关于{v[0]}{s[0]}{o[0]}的通知",
                "en": f"Notice of the {a_en} on {v[1]} the {s[1].title()} {o[1]}"}
    if pattern == 1:
        return {"zh": f"{a_zh}{year}年{s[0]}{o[0]}", "en": f"{a_en}: {s[1].title()} {o[1]}, {year}"}
    if pattern == 2:
        return {"zh": f"关于{year}年{s[0]}{o[0]}的公告", "en": f"Announcement on the {year} {s[1].title()} {o[1]}"}
    if pattern == 3:
        return {"zh": f"市{s[0]}{o[0]}（{year}年修订）", "en": f"City {s[1].title()} {o[1]} ({year} revision)"}
    if pattern == 4:
        c, off = rnd.choice(COMPANIES), rnd.choice(OFFENCES)
        return {"zh": f"行政处罚决定书（某某{c[0]}有限公司{off[0]}案）",
                "en": f"Administrative Penalty Decision: {off[1]} by a {c[1]} company (anonymised)"}
    if pattern == 5:
        return {"zh": f"{s[0]}{o[0]}（{year}年第{n % 12 + 1}期）",
                "en": f"{s[1].title()} {o[1]} ({year}, issue {n % 12 + 1})"}
    return {"zh": f"{year}年{s[0]}工作情况", "en": f"{s[1].title()}: work in {year}"}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dest")
    ap.add_argument("--services", type=int, default=20000)
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--src", default=os.path.join(here, "..", "..", "assets", "content"))
    ap.add_argument("--long-guide", action="store_true")
    args = ap.parse_args()
    rnd = random.Random(args.seed)

    if os.path.exists(args.dest):
        shutil.rmtree(args.dest)
    shutil.copytree(args.src, args.dest)
    sdir = os.path.join(args.dest, "services")
    ddir = os.path.join(args.dest, "disclosure", "docs")
    services = [load(os.path.join(sdir, f)) for f in sorted(os.listdir(sdir))]
    docs = {f[:-5]: load(os.path.join(ddir, f)) for f in sorted(os.listdir(ddir))}
    agencies = load(os.path.join(args.dest, "agencies.json"))
    topics = [t["id"] for t in load(os.path.join(args.dest, "disclosure", "topics.json"))]
    policies = [i for i, d in docs.items() if d["kind"] == "normal"]
    templates = list(docs.values())

    if args.long_guide:
        dump(os.path.join(sdir, "longest-guide.json"), long_guide(load(os.path.join(sdir, "company-llc-reg.json"))))

    for i in range(max(0, args.services - len(services))):
        s = dict(rnd.choice(services))
        s["name"] = service_name(rnd)
        s["code"] = "1133%014d" % (i + 1)
        dump(os.path.join(sdir, "gen-svc-%05d.json" % i), s)

    validity = ["in_force"] * 14 + ["expired"] * 3 + ["repealed"] * 2 + ["amended"] * 1
    day0 = datetime.date(2015, 1, 1).toordinal()
    day1 = datetime.date(2026, 12, 31).toordinal()
    for i in range(max(0, args.docs - len(docs))):
        d = dict(rnd.choice(templates))
        agency = rnd.choice(agencies)
        published = datetime.date.fromordinal(rnd.randint(day0, day1))
        written = published - datetime.timedelta(days=rnd.randint(0, 20))
        r = rnd.random()
        kind = "guide" if r < 0.01 else "annual_report" if r < 0.02 else \
            "interpretation" if r < 0.06 else "normal"
        d["agency"] = agency["id"]
        d["published"] = published.isoformat()
        d["written"] = written.isoformat()
        d["validity"] = rnd.choice(validity)
        d["topic"] = rnd.choice(topics)
        d["index_no"] = "11330100MB%05d/%d-%05d" % (rnd.randrange(100000), published.year, i)
        d["kind"] = kind
        d.pop("interprets", None)
        if kind == "guide":
            d["title"] = {"zh": f"{agency['name']['zh']}政府信息公开指南（{published.year}年版）",
                          "en": f"{agency['name']['en']}: Guide to Government Information Disclosure ({published.year})"}
        elif kind == "annual_report":
            d["title"] = {"zh": f"{agency['name']['zh']}{published.year - 1}年政府信息公开工作年度报告",
                          "en": f"{agency['name']['en']}: Annual Report on Government Information Disclosure, {published.year - 1}"}
        else:
            d["title"] = doc_title(rnd, agency, published.year, i)
        if kind == "interpretation":
            d["interprets"] = rnd.choice(policies)
            d["title"] = {"zh": "《" + d["title"]["zh"] + "》政策解读",
                          "en": "Policy explained: " + d["title"]["en"]}
        if rnd.random() < 0.5:
            d["doc_no"] = {"zh": f"市政发〔{published.year}〕{i % 200 + 1}号",
                           "en": f"Shi Zheng Fa [{published.year}] No. {i % 200 + 1}"}
        else:
            d.pop("doc_no", None)
        dump(os.path.join(ddir, "gen-doc-%05d.json" % i), d)
    print(f"{args.dest}: {max(args.services, len(services))} services, "
          f"{max(args.docs, len(docs))} documents")


if __name__ == "__main__":
    main()
