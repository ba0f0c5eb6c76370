"""The plan front-matter schema, declared once.

Validation (`planpub.plan`), the author's reference in the README (`planpub.docs`) and the `planpub new`
template all derive from `FIELDS`; adding a key means adding one `Field` here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    TEXT = "文本"
    INTEGER = "整数"
    DATE = "日期"
    PERIOD = "年份区间"
    CHOICE = "选项"
    TEXT_LIST = "文本列表"
    IDENT = "标识"
    ID_LIST = "标识列表"
    REGION_CODE = "行政区划代码"
    ATTACHMENTS = "附件列表"


STATUS_CURRENT = "现行有效"
STATUS_REVISED = "已修订"
STATUS_REPEALED = "已废止"
STATUS_WITHDRAWN = "已撤回"
STATUS_DRAFT = "草稿"
STATUSES = (STATUS_CURRENT, STATUS_REVISED, STATUS_REPEALED, STATUS_WITHDRAWN, STATUS_DRAFT)

DEFAULT_CATEGORIES = ("年度工作计划", "工作要点", "三年行动计划", "五年规划", "专项规划", "实施方案")

# A value the importer writes where the source masked or lacked a fact; `check` refuses it in required fields.
PLACEHOLDER = "待补充"

YEAR_MIN = 1949
YEAR_MAX = 2100


@dataclass(frozen=True)
class Field:
    key: str
    alias: str
    kind: Kind
    required: bool
    help: str
    """What the field means, for the author's reference."""
    example: str
    """A valid value, shown in error messages and in the `new` template."""
    label: str = ""
    """The label in the disclosure block on the plan page; empty when the field is not shown there."""
    choices: tuple[str, ...] = ()
    default: str = ""
    """Said in the reference; applied by `planpub.plan`."""
    in_template: bool = False
    """Whether `planpub new` writes the field."""

    @property
    def names(self) -> str:
        return f"{self.key}（{self.alias}）"


FIELDS: tuple[Field, ...] = (
    Field("id", "标识", Kind.IDENT, False,
          "稳定的英文标识，决定网址 /plans/<标识>/。缺省时由文件路径的拼音生成，改文件名就会改网址，"
          "所以 planpub new 和导入工具总会写上它。只能用小写字母、数字和连字符。",
          "ouhai-kjj-2024-gzjh", in_template=True),
    Field("title", "标题", Kind.TEXT, True, "计划的完整标题。", "瓯海区科技局2024年科技工作计划",
          label="标题", in_template=True),
    Field("year", "年度", Kind.INTEGER, True,
          "计划所属年度（四位数字）；多年计划写第一年。", "2024", label="年度", in_template=True),
    Field("period", "实施期限", Kind.PERIOD, False,
          "多年计划的起止年份，写成“起始年-结束年”，必须包含年度。", "2023-2025", label="实施期限"),
    Field("region", "地区", Kind.TEXT, True,
          "发文地区：写名称（瓯海区）或从省开始的路径（浙江省/温州市/瓯海区）；开发区、园区等不在 GB/T 2260 中的地区"
          "先在 mkdocs.yml 的 extra.planpub.places 中声明。", "浙江省/温州市/瓯海区",
          label="地区", in_template=True),
    Field("region_code", "行政区划代码", Kind.REGION_CODE, False,
          "六位 GB/T 2260 行政区划代码；写了它，地区层级和规范名称都以代码为准（含已撤销的旧代码）。",
          "330304", label="行政区划代码"),
    Field("issuer", "发文机关", Kind.TEXT, True, "发文机关全称。", "温州市瓯海区科学技术局",
          label="发文机关", in_template=True),
    Field("category", "类别", Kind.CHOICE, True,
          "计划类别，取值见 mkdocs.yml 中 extra.planpub.categories。", "年度工作计划",
          label="类别", choices=DEFAULT_CATEGORIES, in_template=True),
    Field("doc_number", "发文字号", Kind.TEXT, False, "发文字号。", "瓯科发〔2024〕3号", label="发文字号"),
    Field("index_no", "索引号", Kind.TEXT, False, "政府信息公开索引号。", "001008003012/2024-00012",
          label="索引号"),
    Field("written", "成文日期", Kind.DATE, False, "成文日期，写成 YYYY-MM-DD。", "2024-02-20",
          label="成文日期", in_template=True),
    Field("published", "发布日期", Kind.DATE, False,
          "发布日期，写成 YYYY-MM-DD；缺省等于成文日期。发布日期晚于构建日期的计划暂不公开。",
          "2024-02-26", label="发布日期"),
    Field("status", "有效性", Kind.CHOICE, False,
          "有效性。草稿不会出现在网站的任何文件中；已撤回的计划保留一页说明。", STATUS_CURRENT,
          label="有效性", choices=STATUSES, default=STATUS_CURRENT, in_template=True),
    Field("superseded_by", "替代文件", Kind.IDENT, False,
          "替代本计划的计划标识（已修订、已废止时填写），必须是存在的计划。", "ouhai-kjj-2025-gzjh",
          label="替代文件"),
    Field("topics", "主题分类", Kind.TEXT_LIST, False, "主题分类，可写一个或多个。", "[科技, 创新]",
          label="主题分类"),
    Field("keywords", "关键词", Kind.TEXT_LIST, False, "关键词，可写一个或多个。", "[高新技术企业, 科技特派员]",
          label="关键词"),
    Field("summary", "内容概述", Kind.TEXT, False, "一两句话的内容概述，显示在列表和订阅中。",
          "部署2024年全区科技创新重点工作。", label="内容概述"),
    Field("aliases", "曾用标识", Kind.ID_LIST, False,
          "本计划以前用过的标识；旧网址会自动跳转到现在的页面。", "[2024-ou-hai-ke-ji-gong-zuo-ji-hua]"),
    Field("attachments", "附件", Kind.ATTACHMENTS, False,
          "附件列表：每项写 file（相对于计划文件的路径）和可选的 title。", "[{file: 附件1.pdf, title: 任务分解表}]",
          label="附件"),
)

FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
KEY_BY_NAME: dict[str, str] = {**{f.key: f.key for f in FIELDS}, **{f.alias: f.key for f in FIELDS}}


def display_fields() -> tuple[Field, ...]:
    """Fields shown in the disclosure block, in the order 政府信息公开 pages customarily list them."""
    order = ("index_no", "issuer", "doc_number", "written", "published", "status", "category", "topics",
             "region", "region_code", "year", "period", "keywords", "summary", "superseded_by")
    return tuple(FIELDS_BY_KEY[k] for k in order)
