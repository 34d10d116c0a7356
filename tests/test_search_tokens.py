"""Search tokens: the Python tokenizer (build time) and search.js's (query time) follow one
table, tests/data/search_tokens.json, written by hand from the rules in tokens.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from portal_search.search import search_tokens
from portal_search.tokens import tokens

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = os.path.join(HERE, "data", "search_tokens.json")
SEARCH_JS = os.path.join(os.path.dirname(HERE), "theme", "static", "js", "search.js")
with open(TABLE, encoding="utf-8") as handle:
    CASES = json.load(handle)


@pytest.mark.parametrize("case", CASES["tokens"], ids=lambda c: c["text"][:30] or "empty")
def test_python_tokens_follow_the_table(case):
    assert tokens(case["text"]) == case["tokens"]


def test_tokens_are_plain_ascii_words_that_start_with_j():
    for case in CASES["tokens"]:
        for token in case["tokens"]:
            assert token.isascii() and token.isalnum() and token.islower() and token[0] == "j"


def test_search_tokens_filter_lists_each_token_once_and_skips_nav_and_footer():
    html = ("<nav>Trang chủ</nav><h1>Học phí</h1><p>Nộp học phí.</p>"
            "<footer>Từ khóa: tuyển sinh</footer>")
    assert search_tokens(html, html=True).split() == [
        "jhocz5", "jhocwphiz51", "jphiz1", "jnopzc5", "jnopwhoczc55"]  # no "phí nộp" pair


def _node(script: str) -> str:
    node = shutil.which("node")
    if not node:
        pytest.skip("node is missing (apt-get install nodejs)")
    result = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_search_js_tokens_and_plans_follow_the_same_table():
    script = f"""
import {{ tokenize, plan, anywhere }} from {json.dumps("file://" + SEARCH_JS)};
import {{ readFileSync }} from "node:fs";
const cases = JSON.parse(readFileSync({json.dumps(TABLE)}, "utf8"));
console.log(JSON.stringify({{
  tokens: cases.tokens.map((c) => tokenize(c.text)),
  plans: cases.plans.map((c) => plan(c.query)),
  fallbacks: cases.plans.map((c) => anywhere(c.query)),
}}));
"""
    got = json.loads(_node(script))
    assert got["tokens"] == [case["tokens"] for case in CASES["tokens"]]
    assert got["plans"] == [case["stages"] for case in CASES["plans"]]
    assert got["fallbacks"] == [case["fallback"] for case in CASES["plans"]]


def test_search_js_highlights_real_syllables_of_the_query():
    script = f"""
import {{ hitsIn }} from {json.dumps("file://" + SEARCH_JS)};
const words = "Cha mẹ đăng ký nộp học phí, đang kỳ thi.".split(" ");
console.log(JSON.stringify([hitsIn(words, "dang ky", false), hitsIn(words, "đăng ký", true),
                            hitsIn(words, "HỌC PHÍ", true), hitsIn(words, "xyz", false)]));
"""
    assert json.loads(_node(script)) == [[2, 3, 7, 8], [2, 3], [5, 6], []]


# Subject tokens (a page's `portal_search_terms`): "s" before each token, written by hand.
SUBJECT_TOKENS = "sjtuyenzc3 sjtuyenwsinhzc30 sjsinhz0"


def test_python_subject_tokens_mark_every_token():
    assert search_tokens("Tuyển sinh", subject=True) == SUBJECT_TOKENS
    assert search_tokens("Tuyển sinh") == SUBJECT_TOKENS.replace("sj", "j")


def test_search_js_subject_stage_uses_the_querys_first_stage():
    script = f"""
import {{ subjectPlan }} from {json.dumps("file://" + SEARCH_JS)};
console.log(JSON.stringify([subjectPlan("tuyển sinh lớp 10"), subjectPlan("tuyen sinh"),
                            subjectPlan("học"), subjectPlan("  ")]));
"""
    assert json.loads(_node(script)) == [
        ["sjtuyenwsinhzc30", "sjsinhwlopz0h1", "sjlopw10zh10"],  # exact marks: exact pairs
        ["sjtuyenwsinhz"],  # no marks: any marks
        ["sjhocz5"], []]
