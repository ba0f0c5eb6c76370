"""Whatever an author (or an attacker) writes in a plan file, `check` answers with the project's own messages: never
an exception, every message names a line of the file, a plan it accepts has no error, and what it accepts holds
no character that breaks a feed or a page. Front matter is built from the YAML that real mistakes are made of
(aliases, tags, flow collections, full-width colons, block scalars) around the fields that exist."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planpub import frontmatter
from planpub.plan import parse_plan
from planpub.problems import PlanpubError
from planpub.schema import DEFAULT_CATEGORIES, FIELDS
from tests.test_plan import BASE

NAMES = sorted({name for field in FIELDS for name in (field.key, field.alias)})
VALUES = [
    *BASE.values(), "2024年", "2023-2025", "2023—2025年", "草稿", "现行有效", "已废止", "2024-13-40", "2030-01-01",
    "[a, b]", "a、b、c", "{x: 1}", "&a [1, 2]", "*a", "!!python/object:os.system", "!!binary aGk=", "|", ">-",
    "'单引号", '"双引号', "~", "null", "yes", "0x1F", "1e400", "\x01", "\x0b", "\ufffe", "\u202e", "<script>", "",
    "浙江省/温州市/科技园", "浙江省/不存在市", "w/secret.md", "../../etc/passwd", "a" * 300, "【待填写】", "20xx",
]
KEY_LINE = st.builds(lambda name, colon, value: f"{name}{colon}{value}", st.sampled_from(NAMES),
                     st.sampled_from([": ", "：", ":", " : "]),
                     st.one_of(st.sampled_from(VALUES), st.text(max_size=20)))
YAML_LINE = st.one_of(
    KEY_LINE,
    st.sampled_from(["  - item", "- x", "attachments:", "  - file: a.pdf", "    title: 附件", "keywords:",
                     "  a: &x [1]", "b: *x", "%YAML 1.1",
                     "--- !tag", "? complex", "\t- tab", "#", "...", "'", "{", "[", "  " * 30]),
    st.text(max_size=30),
)
BODY_LINE = st.one_of(
    st.sampled_from(["## 一、总体要求", "### （一）任务", "- 一项", "1. 一项", "> 引用", "| a | b |", "|---|---|",
                     "```", "<div>", "<img src=x onerror=alert(1)>", "{: onclick=x }", "[链接](javascript:1)",
                     "20xx年", "某县", "**", "待补充", "【待填写】", "", "正文。"]),
    st.text(max_size=40),
)
VALID_HEAD = [f"{key}: {value}" for key, value in BASE.items()]
# Half the files start from a valid plan and change a little, so that what `check` accepts is exercised too.
heads = st.one_of(
    st.lists(YAML_LINE, max_size=14),
    st.builds(lambda extra, drop: [line for line in VALID_HEAD if not line.startswith(drop)] + extra,
              st.lists(KEY_LINE, max_size=4), st.sampled_from(["-", "title", "year", "region"])),
)
plan_texts = st.builds(
    lambda head, body, opening, closing: opening + "\n".join(head) + closing + "\n".join(body),
    heads, st.lists(BODY_LINE, max_size=14),
    st.sampled_from(["---\n", "---\r\n", "\ufeff---\n", "", "--- \n"]), st.sampled_from(["\n---\n", "\n", "\n...\n"]),
)


def assert_own_answer(text: str) -> None:
    plan, problems = parse_plan("a.md", text, DEFAULT_CATEGORIES)
    # Lines as an editor counts them: a lone carriage return ends a line too.
    last_line = len(text.splitlines()) + 1
    for problem in problems:
        assert problem.message and problem.path == "a.md", problem
        assert 0 <= problem.line <= last_line + 1, (problem, last_line)
    if plan is None:
        assert any(p.is_error for p in problems), problems
        return
    assert not [p for p in problems if p.is_error], problems
    for value in (plan.title, plan.issuer, plan.summary, plan.doc_number, plan.index_no, plan.id, *plan.keywords):
        assert not frontmatter.FORBIDDEN_CHARACTERS.search(value or ""), value


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_texts)
def test_any_plan_file_gets_the_projects_own_answer(text: str) -> None:
    assert_own_answer(text)


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), plan_texts.map(lambda text: text.encode("utf-8", "surrogatepass"))))
def test_any_bytes_are_decoded_or_refused_with_a_message(data: bytes) -> None:
    try:
        text = frontmatter.decode("a.md", data)
    except PlanpubError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return
    assert_own_answer(text)
