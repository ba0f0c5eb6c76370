"""Remove what document-sharing websites wrap around a plan, and mend what their page splitting broke.

Every removal becomes a note, so the author can check that nothing of the plan itself went.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from planpub.importer.markers import starts_with_marker
from planpub.importer.model import Block, Note, NoteKind
from planpub.importer.text import SENTENCE_END, ends_sentence, excerpt, has_sentence_punctuation, is_title_like

_FILE_NAME = re.compile(r"\.(?:docx?|wps|pdf|pptx?|xlsx?|txt)(?![a-z])")
_SITE = re.compile(r"由会员分享|可在线阅读|珍藏版|请在.{0,12}上搜索|文库|原创力文档|道客巴巴|豆丁|淘豆网|book118|"
                   r"docin|wenku|本文档由|本文由.{0,12}(?:提供|整理|上传)|全文预览已结束|还剩.{0,6}页未读|"
                   r"下载地址|下载本文|免费下载|立即下载|下载文档|开通VIP|加入VIP", re.IGNORECASE)
# Phrases only a website puts on a line of its own, anywhere in a short line.
_SITE_PHRASE = re.compile(r"VIP|文档评论|分享到|打印本页|关闭窗口|阅读全文|展开全文|上一篇|下一篇|返回顶部|返回列表|"
                          r"版权声明|本文链接|原文链接|点击查看|扫一扫|字号\s*[:：]|电子文档交易市场|安卓\s*APP|"
                          r"ios\s*版|文档编号|文档格式|文档大小|上传人|卖家|版权申诉|侵权投诉|文本预览|下载提示|常见问题|"
                          r"正文复制|我要投稿|全文检索|^\s*(?:海报|文章导读|导读|\d+\s*\+|\d+(?:\.\d+)?\s*[KM]B)\s*$|"
                          r"[【\[]?\s*字体\s*[:：]?\s*[【\[]?\s*(?:大\s*中\s*小|$)", re.IGNORECASE)
# A publication time to the minute: only a website stamps a page so.
_STAMP = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}")
# Portal footers: from here on the page is the site's, also when glued to the last sentence.
_FOOTER = re.compile(r"(?:主办单位|主办|承办单位|承办|技术支持|维护单位)\s*[:：]|网站标识码|[\u4e00-\u9fff]ICP\s*备|"
                     r"ICP\s*备\s*\d|公网安备|版权所有\s*[:：©]?")
# `中国政府网 浙江省政府网 温州市政府网 …`: a row of links to other sites.
_LINK_ROW = re.compile(r"^(?:\S{2,16}(?:网|门户|网站)\s*[|｜]?\s*){3,}$")
_PORTAL_NAV = re.compile(r"^(?:[\u4e00-\u9fff]{2,8}\s*[|｜]\s*){2,}[\u4e00-\u9fff]{2,8}\s*[|｜]?\s*(?:…|\.\.\.)?$")
_WATERMARK = re.compile(r"^[^\s:：]{2,24}[:：]\s*www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+/?", re.IGNORECASE)
_CODE_PREFIX = re.compile(r"^\d{6,8}[:：]\s*(?=\S)")
_OUTLINE_ITEM = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．]|[(（][一二三四五六七八九十\d]{1,3}[)）])")
_OUTLINE = re.compile(r"^(?:提纲|内容提要|文章提纲)\s*[:：]?$")
# Buttons: words a plan uses too (举报渠道), so only when they are the whole line.
_BUTTON = re.compile(r"^[•·●▪■◆\s]*(?:[【\[]?\s*(?:举报|收藏|分享|点赞|打印|打印本页|关闭|关闭窗口|下载|评论|纠错|"
                     r"赞|踩|(?:评论|文档评论|留言)\s*[(（]?\d+[)）]?)\s*[】\]]?[\s:：|/]*)+$")
_SHORT_CHROME_LIMIT = 30
_META = re.compile(r"^[•·●▪■◆◇○\-\s]*(?:\d+|约?\s*[\d.]+\s*[千万]?\s*字|约?\s*\d+\s*页|共\s*\d+\s*页|"
                   r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.{0,20}|.{0,20}(?:发布于|上传于|上传时间|发布时间).{0,20})$")
_DATE_TIME = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}")
_META_WORDS = re.compile(r"(?:发布|上传|更新|发表)(?:时间|日期|于)?\s*[:：]?\s*\d{4}[-/.年]|浏览|阅读|点击|"
                         r"来源\s*[:：]|作者\s*[:：]|字数|页数|评论|下载")
_BYLINE = re.compile(r"^(?:作者|来源|责任编辑|编辑|浏览次数|阅读量|阅读次数|点击数|发布人|信息来源)\s*[:：]")
_TAIL_START = re.compile(r"^[•·●\s]*(?:相关文档|相关链接|相关文件|"
                         r"相关推荐|猜你喜欢|热门文档|相关阅读|更多相关|推荐阅读|"
                         r"相关资料|相关范文|精选文档|你可能喜欢|大家都在看|为你推荐|热门推荐|最新文档|相关搜索)")
_PREAMBLE = re.compile(r"小编|为大家整理|为大家分享|为大家收集|欢迎阅读|欢迎大家阅读|仅供参考|供大家参考|"
                       r"希望对(?:你|您|大家)有|"
                       r"希望能帮助|希望大家喜欢|一起来看看|以下是.{0,30}(?:整理|分享|精心|收集|范文)|"
                       r"欢迎(?:借鉴|下载|收藏|参考)|更多.{0,20}请(?:访问|关注|点击)")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?[”’」』]?")
_PAGE_LINE = re.compile(r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|\d{1,3}|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|"
                        r"\d{1,3}\s*/\s*\d{1,3})$")
_PAGE_MARK = re.compile(r"(?<![\d.])(\d{1,3})、")
_TEASER_END = re.compile(r"(?:\.{3,}|…+|\.\.\.)\s*$")
_SAME_TITLE = 0.7
"""How alike a site's page title and the document's title are, in length and in SequenceMatcher ratio."""
# “工作计划一”, “篇2”: the start of one of several plans in a file, not a page title.
_NUMBERED_PIECE = re.compile(r"(?:篇|计划|要点|方案)\s*[一二三四五六七八九十\d]{1,3}\s*[】\]]?$")
_PAGE_GAP = 200
"""Fewest characters between two page numbers; sites cut pages of several hundred characters."""


@dataclass(frozen=True)
class Cleaned:
    blocks: list[Block]
    notes: list[Note]


def clean(blocks: list[Block]) -> Cleaned:
    notes: list[Note] = []
    for step in (_drop_footer, _drop_tail, _join_runs, _strip_watermarks, _drop_chrome_lines, _drop_outline,
                 _drop_preambles,
                 _drop_site_title, _drop_repeated_openings, _drop_teasers, _drop_page_lines,
                 _drop_page_marks, _close_spacing, _join_broken, _split_run_on, _repair_periods):
        blocks = step(blocks, notes.append)
    return Cleaned(blocks, notes)


Report = Callable[[Note], None]


def _removed(report: Report, block: Block, what: str) -> None:
    report(Note(NoteKind.REMOVED, f"{what}“{excerpt(block.text, 40)}”", block.line))


def _chrome_reason(text: str) -> str | None:
    if _FILE_NAME.search(text) and len(text) <= 80:
        return "网站上的文件名"
    if _SITE.search(text):
        return "网站信息"
    if _META.match(text) and len(text) <= 40:
        return "页数、字数等网站信息"
    if (len(text) <= 60 and _DATE_TIME.search(text) and _META_WORDS.search(text)
            and not has_sentence_punctuation(text) and not starts_with_marker(text)):
        return "发布时间、阅读数等网站信息"
    if _BYLINE.match(text) and len(text) <= 60:
        return "网页署名信息"
    if _BUTTON.match(text) or (len(text) <= _SHORT_CHROME_LIMIT and _SITE_PHRASE.search(text)):
        return "网站按钮和栏目"
    if len(text) <= 100 and _STAMP.search(text) and not has_sentence_punctuation(text):
        return "发布时间、来源等网站信息"
    if len(text) <= 120 and (_LINK_ROW.match(text) or _PORTAL_NAV.match(text)):
        return "网站栏目和其他网站的链接"
    return None


def _drop_footer(blocks: list[Block], report: Report) -> list[Block]:
    """`主办：… 网站标识码 … ICP备…` and all after it, in the last part of the page; a sentence it is glued to
    keeps its own text."""
    total = sum(len(b.text) for b in blocks)
    before = 0
    for index, block in enumerate(blocks):
        before += len(block.text)
        match = None if block.is_table else _FOOTER.search(block.text)
        if not match or (index < len(blocks) // 2 and before - len(block.text) + match.start() < total // 2):
            continue
        kept = block.text[: match.start()].rstrip(" |｜")
        for dropped in blocks[index:]:
            _removed(report, dropped if dropped is not block else block.with_text(block.text[match.start():]),
                     "网站页脚")
        return blocks[:index] + ([block.with_text(kept)] if kept else [])
    return blocks


def _strip_watermarks(blocks: list[Block], report: Report) -> list[Block]:
    """`某某范文宝典:www.example.com` a site put in front of a paragraph or on a line of its own."""
    kept = []
    for block in blocks:
        match = None if block.is_table else _WATERMARK.match(block.text)
        if match:
            report(Note(NoteKind.REMOVED, f"网站水印“{match.group(0)}”", block.line))
            rest = block.text[match.end():].strip()
            if rest:
                kept.append(block.with_text(rest, bold_lead=0))
        else:
            kept.append(block)
    return kept


def _drop_outline(blocks: list[Block], report: Report) -> list[Block]:
    """`提纲：` and the headings a site lists above the document, up to its title."""
    for index, block in enumerate(blocks[:4]):
        if block.is_table or not _OUTLINE.match(block.text):
            continue
        end = index + 1
        while end < len(blocks) and end - index <= 20 and not blocks[end].is_table and _OUTLINE_ITEM.match(
                blocks[end].text) and len(blocks[end].text) <= 60:
            end += 1
        if end < len(blocks) and is_title_like(blocks[end].text, 60):
            for dropped in blocks[index:end]:
                _removed(report, dropped, "网站列出的提纲")
            return blocks[:index] + blocks[end:]
        _removed(report, block, "网站列出的提纲")
        return blocks[:index] + blocks[index + 1:]
    return blocks


def _drop_repeated_openings(blocks: list[Block], report: Report) -> list[Block]:
    """A date code before the title (`20210530:`), the title repeated at the start of the text, and a site's
    excerpt that repeats the opening of the text."""
    result = list(blocks)
    for index, block in enumerate(result[:3]):
        code = None if block.is_table else _CODE_PREFIX.match(block.text)
        if code and is_title_like(block.text[code.end():], 60):
            report(Note(NoteKind.REMOVED, f"标题前网站加的编号“{code.group(0).strip()}”", block.line))
            result[index] = block.with_text(block.text[code.end():], bold_lead=0)
    title_at = next((i for i, b in enumerate(result[:3]) if not b.is_table and is_title_like(b.text, 60)), None)
    if title_at is not None:
        title = result[title_at].text
        for index in range(title_at + 1, min(len(result), title_at + 4)):
            text = result[index].text
            stripped = text
            while stripped.startswith(title) and len(stripped) > len(title):
                stripped = stripped[len(title):].lstrip()
            if stripped != text:
                report(Note(NoteKind.REMOVED, f"正文开头重复的标题“{excerpt(title, 30)}”", result[index].line))
                result[index] = result[index].with_text(stripped, bold_lead=0)
    kept: list[Block] = []
    for index, block in enumerate(result):
        teaser = _teaser_of(block, result[index + 1: index + 3]) if index < 8 else False
        if teaser:
            _removed(report, block, "网站摘要（与正文开头重复）")
        else:
            kept.append(block)
    return kept


def _teaser_of(block: Block, following: list[Block]) -> bool:
    if block.is_table or len(block.text) < 20:
        return False
    cut = re.sub(r"(?:\.{3,}|…+|。)$", "", block.text).rstrip()
    return any(not b.is_table and len(b.text) > len(cut) and b.text.startswith(cut) for b in following)


_UNIT_START = re.compile(r"^[年月日号个家项人名次件所亿万千百元倍户亩台套座篇场批类种条天届位期"
                         r"%‰、，,。；;：:）)」』》”]")
_BARE = re.compile(r"^(?:[\d.,，%‰—\-–~]+|[xX×*]{1,4}|[•·])$")
_OPENERS = "（(《“【[〈‘"
_BROKEN_SHARE = 0.15
"""Share of lines that are a bare number or start with a unit, from which a text counts as broken at every run."""


def glue(before: str, after: str) -> str:
    """Two pieces of one line: Chinese joins without a space, two Latin words keep one."""
    if before[-1:].isascii() and before[-1:].isalpha() and after[:1].isascii() and after[:1].isalpha():
        return f"{before} {after}"
    return before + after


def _is_fragment(block: Block) -> bool:
    return not block.is_table and bool(_BARE.match(block.text) or _UNIT_START.match(block.text))


def _joins_run(previous: Block, block: Block) -> bool:
    if previous.is_table or block.is_table or previous.style_level is not None or block.style_level is not None:
        return False
    if any(not _BARE.match(b.text) and _chrome_reason(b.text) for b in (previous, block)):
        return False  # site furniture is removed, never joined into the text
    if ends_sentence(previous.text) and not _BARE.match(previous.text):
        return False
    if starts_with_marker(block.text) or _OUTLINE_ITEM.match(block.text) or _BARE_DATE.match(block.text):
        return False
    small = _is_fragment(block) or _BARE.match(previous.text) or len(block.text) <= 4 or len(previous.text) <= 6
    heading = starts_with_marker(previous.text) or _OUTLINE_ITEM.match(previous.text)
    return not (heading and len(previous.text) <= 40 and not small)


_BARE_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


def _join_runs(blocks: list[Block], report: Report) -> list[Block]:
    """Text an extraction broke at every run: numbers, units, masks and names each on a line of their own."""
    plain = [b for b in blocks if not b.is_table]
    fragments = sum(_is_fragment(b) for b in plain)
    if fragments < 5 or fragments < _BROKEN_SHARE * len(plain):
        return blocks
    result: list[Block] = []
    joined = 0
    for block in blocks:
        previous = result[-1] if result else None
        if previous is not None and _joins_run(previous, block):
            result[-1] = previous.with_text(glue(previous.text, block.text))
            joined += 1
        else:
            result.append(block)
    if joined:
        report(Note(NoteKind.REPAIRED, f"原文在数字、单位和地名处断行，接回 {joined} 处断开的文字"))
    return result


_SPACED = re.compile(r"(?<=[\u4e00-\u9fff，、。；：“”]) (?=[\u4e00-\u9fff，、。；：,“”])")
_SPACED_LINE = 3
"""Spaces between single characters from which a line counts as letter-spaced (`市 委 十 届 七 次全 会`)."""
# A number and its unit (`2024 年`, `250 所`), a space before punctuation: spread out anywhere in such a text.
_UNITS = "年月日号个家项人名次件所亿万千百元倍户亩台套座篇场批类种条天届位期%"
_NUMBER_SPACE = re.compile(rf"(?<=[\d%])\s+(?=[{_UNITS}，、。；：,])|"
                           r"(?<=[\u4e00-\u9fff])\s+(?=[,，、。；;：:）)])|"
                           rf"(?<=[\u4e00-\u9fff])\s+(?=[\d.]+\s*[{_UNITS}])")
# Within a spread-out line also the spaces before a number and after a comma.
_LINE_SPACE = re.compile(r"(?<=[\u4e00-\u9fff，、。；：“])\s+(?=\d)|(?<=[,，、；;])\s+(?=[\u4e00-\u9fff“])")


_SINGLE = re.compile(r"(?:^|(?<= ))[\u4e00-\u9fff](?= |$)")


def _letter_spaced(block: Block) -> bool:
    return not block.is_table and len(_SINGLE.findall(block.text)) >= _SPACED_LINE


def _close_spacing(blocks: list[Block], report: Report) -> list[Block]:
    """Text a PDF extraction spread out: `市 委 十 届`, `2024 年`, `250 所`; the spaces go, and a note says so."""
    if not any(_letter_spaced(b) for b in blocks):
        return blocks
    result = []
    changed = 0
    for block in blocks:
        if block.is_table:
            result.append(block)
            continue
        # Only a spread-out line loses the spaces between its characters (`姓名 职务 电话` keeps them).
        text = block.text
        if _letter_spaced(block):
            text = _LINE_SPACE.sub("", _SPACED.sub("", text))
        text = _NUMBER_SPACE.sub("", text)
        changed += text != block.text
        result.append(block.with_text(text) if text != block.text else block)
    report(Note(NoteKind.REPAIRED, f"去掉字与字、数字与单位之间多余的空格（{changed} 行）"))
    return result


# A period that lost its dash (20232025年) or got one half-width and one full-width bracket ((2023-2025年）).
_PERIOD_DAMAGE = re.compile(r"(?P<open>[(（])?\s*(?<!\d)(?P<first>\d{4})\s*(?P<dash>[-—–－~～至到]?)\s*"
                            r"(?P<last>\d{4})\s*年\s*(?P<close>[)）])?")


def repair_period(text: str) -> tuple[str, list[str]]:
    """The text with each damaged period restored, and what was restored."""
    changes: list[str] = []

    def fix(match: re.Match[str]) -> str:
        first, last = int(match.group("first")), int(match.group("last"))
        opened, closed = match.group("open"), match.group("close")
        lost_dash = not match.group("dash")
        mismatched = bool(opened and closed) and (opened == "(") != (closed == ")")
        if not first < last <= first + 10 or not (lost_dash or mismatched):
            return match.group(0)
        dash = "—" if lost_dash else match.group("dash")
        inner = f"{first}{dash}{last}年"
        if mismatched:
            opened, closed = "（", "）"
        fixed = (opened or "") + inner + (closed or "")
        changes.append(f"“{match.group(0).strip()}”→“{fixed}”")
        return fixed

    return _PERIOD_DAMAGE.sub(fix, text), changes


def _repair_periods(blocks: list[Block], report: Report) -> list[Block]:
    result = []
    for block in blocks:
        text, changes = (block.text, []) if block.is_table else repair_period(block.text)
        for change in changes:
            report(Note(NoteKind.REPAIRED, f"修复年份区间：{change}", block.line))
        result.append(block.with_text(text) if changes else block)
    return result


_RUN_ON_HEADING = re.compile(r"(?:(?<=[。！？!?])|\s+)(?=(?:[(（][一二三四五六七八九十]{1,3}[)）]|"
                             r"[一二三四五六七八九十]{1,3}、)\S)")
_RUN_ON_LENGTH = 60


def _split_run_on(blocks: list[Block], report: Report) -> list[Block]:
    """A text whose line breaks were lost: `…。 (二)创新科技…` puts each heading back at the start of a paragraph."""
    result: list[Block] = []
    for block in blocks:
        if block.is_table or len(block.text) < _RUN_ON_LENGTH or block.style_level is not None:
            result.append(block)
            continue
        cuts = [m.start() for m in _RUN_ON_HEADING.finditer(block.text) if m.start() > 0]
        if not cuts:
            result.append(block)
            continue
        pieces = [block.text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(block.text)], strict=True)]
        pieces = [p for p in pieces if p]
        report(Note(NoteKind.REPAIRED, f"原文丢了换行，在 {len(pieces) - 1} 个标题前重新分段", block.line))
        result += [block.with_text(p, bold_lead=0) for p in pieces]
    return result


def _drop_tail(blocks: list[Block], report: Report) -> list[Block]:
    """Everything after “相关文档” and its kin is the site's list of other documents."""
    for index, block in enumerate(blocks):
        if not block.is_table and len(block.text) <= 20 and _TAIL_START.match(block.text):
            for dropped in blocks[index:]:
                _removed(report, dropped, "文末的网站推荐内容")
            return blocks[:index]
    return blocks


def _drop_chrome_lines(blocks: list[Block], report: Report) -> list[Block]:
    kept = []
    for block in blocks:
        reason = None if block.is_table else _chrome_reason(block.text)
        if reason:
            _removed(report, block, reason)
        else:
            kept.append(block)
    return kept


_INTRO_SENTENCES = 4
"""Most sentences a site's introduction has before its “欢迎阅读” line."""


def _drop_preambles(blocks: list[Block], report: Report) -> list[Block]:
    """“下面是小编为大家整理的……” sentences, also when they were run into the first paragraph."""
    kept = []
    for block in blocks:
        if block.is_table or not _PREAMBLE.search(block.text):
            kept.append(block)
            continue
        sentences = [s for s in _SENTENCE.findall(block.text) if s]
        if _PREAMBLE.search(sentences[-1]) and len(sentences) <= _INTRO_SENTENCES and not any(
                starts_with_marker(s) for s in sentences):
            # A paragraph that ends by introducing what follows (“下面是小编整理的…，欢迎阅读。”) is the site's.
            _removed(report, block, "网站的引导语")
            continue
        remaining = "".join(s for s in sentences if not _PREAMBLE.search(s)).strip()
        for sentence in sentences:
            if _PREAMBLE.search(sentence):
                report(Note(NoteKind.REMOVED, f"网站的引导语“{excerpt(sentence, 40)}”", block.line))
        if remaining:
            kept.append(block.with_text(remaining, bold_lead=0))
    return kept


def _comparable(text: str) -> str:
    return re.sub(r"[\d\s年]|20[xX×]{2}|范文|精选|[(（]\d*篇[)）]", "", text)


def _drop_site_title(blocks: list[Block], report: Report) -> list[Block]:
    """A page title the site composed (often with its own year) right above the document's own title."""
    for index in range(min(4, len(blocks) - 1)):
        first, second = blocks[index], blocks[index + 1]
        if first.is_table or second.is_table or not (is_title_like(first.text, 60) and is_title_like(second.text, 60)):
            continue
        a, b = _comparable(first.text), _comparable(second.text)
        if not a or not b or _NUMBERED_PIECE.search(second.text):
            continue
        similar_length = min(len(a), len(b)) / max(len(a), len(b)) >= _SAME_TITLE
        alike = similar_length and SequenceMatcher(None, a, b).ratio() >= _SAME_TITLE
        if a in b or b in a or alike:
            _removed(report, first, "网页标题（与下一行的文档标题重复）")
            return blocks[:index] + blocks[index + 1:]
    return blocks


def _drop_teasers(blocks: list[Block], report: Report) -> list[Block]:
    """Other documents' titles each followed by a snippet cut off with “...”, after the end of the plan."""
    end = len(blocks)
    while end >= 2:
        snippet, title = blocks[end - 1], blocks[end - 2]
        if snippet.is_table or title.is_table or not _TEASER_END.search(snippet.text):
            break
        if not is_title_like(title.text, 40):
            break
        report(Note(NoteKind.REMOVED, f"文末其他文档的标题和摘要“{excerpt(title.text, 40)}”", title.line))
        end -= 2
    return blocks[:end]


def _drop_page_lines(blocks: list[Block], report: Report) -> list[Block]:
    kept = []
    for block in blocks:
        if not block.is_table and _PAGE_LINE.match(block.text):
            _removed(report, block, "页码")
        else:
            kept.append(block)
    return kept


@dataclass(frozen=True)
class _Mark:
    block: int
    start: int
    end: int
    number: int
    offset: int
    """Position in the whole text, for the distance between two page numbers."""
    strong: bool
    """Placed where no list number could be: inside a sentence, or before punctuation or another number."""


def _marks(blocks: list[Block]) -> list[_Mark]:
    marks = []
    offset = 0
    for index, block in enumerate(blocks):
        text = block.text
        for match in _PAGE_MARK.finditer(text):
            before = text[: match.start()].rstrip()
            if before:
                inside = before[-1] not in SENTENCE_END + "：:"
            else:
                inside = index > 0 and not blocks[index - 1].is_table and not ends_sentence(blocks[index - 1].text)
            after = text[match.end(): match.end() + 1]
            strong = inside or (after != "" and (after in "，,。.；;、" or after.isdigit()))
            marks.append(_Mark(index, match.start(), match.end(), int(match.group(1)), offset + match.start(), strong))
        offset += len(text) + 1
    return marks


def _chain_from(start: _Mark, marks: list[_Mark]) -> list[_Mark]:
    chain = [start]
    expected = start.number + 1
    skipped = False
    while True:
        last = chain[-1]
        ahead = [m for m in marks if m.offset >= last.offset + _PAGE_GAP and m.strong]
        found = next((m for m in ahead if m.number == expected), None)
        following = next((m for m in ahead if m.number == expected + 1), None)
        if found and (following is None or found.offset < following.offset):
            chain.append(found)
            expected += 1
            skipped = False
        elif following and not skipped:
            # A page number the copy lost: carry on from the next one.
            chain.append(following)
            expected += 2
            skipped = True
        else:
            return chain


def find_page_chain(blocks: list[Block]) -> list[_Mark]:
    """The page numbers `1、 2、 3、 …` a site put at the start of each page it cut the text into."""
    marks = _marks(blocks)
    best: list[_Mark] = []
    for mark in marks:
        if mark.number > 2 or (mark.number == 2 and not mark.strong):
            continue
        if mark.number == 1 and not (mark.start == 0 or mark.strong):
            continue
        chain = _chain_from(mark, marks)
        if len(chain) > len(best):
            best = chain
    if len(best) >= 3 and sum(m.strong for m in best[1:]) >= 2:
        return best
    return []


def _drop_page_marks(blocks: list[Block], report: Report) -> list[Block]:
    chain = find_page_chain(blocks)
    if not chain:
        return blocks
    by_block: dict[int, list[_Mark]] = {}
    for mark in chain:
        by_block.setdefault(mark.block, []).append(mark)
    result: list[Block] = []
    for index, block in enumerate(blocks):
        text = block.text
        joined = False
        for mark in sorted(by_block.get(index, []), key=lambda m: -m.start):
            before, after = text[: mark.start], text[mark.end:]
            context = f"…{before[-8:].lstrip()}⟨{mark.number}、⟩{after[:8]}…"
            report(Note(NoteKind.REMOVED, f"网站分页插入的页码“{mark.number}、”（{context}）", block.line))
            if before.endswith(" "):
                before = before[:-1]
            if after.startswith(" "):
                after = after[1:]
            text = before + after
            if mark.start == 0 and result and not result[-1].is_table and not ends_sentence(result[-1].text):
                joined = True
        if joined:
            previous = result.pop()
            result.append(previous.with_text(previous.text + text))
        elif text:
            result.append(block.with_text(text, bold_lead=0))
    return result


def _is_prose(text: str) -> bool:
    """Running text rather than a heading or a title: long, or with a sentence or clause inside."""
    return len(text) >= 30 or any(c in text for c in "。，,；;")


_WRAP_LINES = 4
_WRAP_SHARE = 0.5


def hard_wrapped(blocks: list[Block]) -> bool:
    """Lines broken at a fixed width (a PDF's text): many lines stop mid-sentence at about the same length."""
    widths = [len(b.text.replace(" ", "")) for b in blocks
              if not b.is_table and len(b.text) >= 12 and not ends_sentence(b.text) and not starts_with_marker(b.text)]
    if len(widths) < _WRAP_LINES:
        return False
    common = max(sum(abs(w - width) <= 2 for w in widths) for width in set(widths))
    return common >= _WRAP_SHARE * len(widths)


def _join_broken(blocks: list[Block], report: Report) -> list[Block]:
    """A paragraph cut in two by a page break, or every line of a text broken at a fixed width: the first part
    stops mid-sentence, the second is no heading."""
    wrapped = hard_wrapped(blocks)
    what = "接上按固定宽度断开的行" if wrapped else "接上被分页断开的段落"
    result: list[Block] = []
    for block in blocks:
        previous = result[-1] if result else None
        if (previous is not None and not previous.is_table and not block.is_table
                and previous.style_level is None and block.style_level is None and not block.emphasized
                and _is_prose(previous.text) and not ends_sentence(previous.text)
                and not is_title_like(previous.text, 80)
                and not (starts_with_marker(previous.text) and len(previous.text) <= 40
                         and not (wrapped and has_sentence_punctuation(previous.text)))
                and not starts_with_marker(block.text) and not is_title_like(block.text, 40)
                and block.text[0] not in "（(【[《"):
            report(Note(NoteKind.REPAIRED, f"{what}（“…{previous.text[-8:]}”与“{block.text[:8]}…”）", block.line))
            result[-1] = previous.with_text(glue(previous.text, block.text))
        else:
            result.append(block)
    return result
