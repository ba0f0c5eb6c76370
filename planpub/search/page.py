"""The search page's source: a form that works without script, and the containers the browser fills in."""

from __future__ import annotations

SEARCH_SRC = "search.md"
SEARCH_KIND = "search"

_PAGE = """---
title: 检索
planpub_kind: search
description: 在全部公开计划的标题、发文信息和正文中检索，可按年度、地区、类别、发文机关和有效性筛选。
hide:
  - navigation
  - toc
---

# 检索计划

<div class="pp-search" id="pp-search" aria-busy="false">
<form class="pp-search__form" role="search" aria-label="检索计划" method="get" action="./">
<label class="pp-search__label" for="pp-search-input">检索词</label>
<div class="pp-search__row">
<input class="pp-search__input" id="pp-search-input" type="search" name="q" autocomplete="off"
  spellcheck="false" enterkeyhint="search" aria-describedby="pp-search-help">
<button class="pp-search__submit md-button md-button--primary" type="submit">检索</button>
</div>
<p class="pp-search__help" id="pp-search-help">在全部计划的标题、发文信息和正文中查找。
多个词用空格分开，结果须同时包含这些词；简体、繁体，全角、半角均可。不输入检索词时按筛选条件列出计划。</p>
</form>
<p class="pp-search__status" id="pp-search-status" role="status" aria-live="polite" aria-atomic="true"
  tabindex="-1"></p>
<ul class="pp-search__active" id="pp-search-active" aria-label="已选的筛选条件"></ul>
<div class="pp-search__layout">
<details class="pp-search__filters" id="pp-search-filters" open>
<summary>筛选条件</summary>
<div id="pp-search-facets"></div>
</details>
<div class="pp-search__main">
<ol class="pp-search__results" id="pp-search-results" aria-label="检索结果"></ol>
<nav class="pp-search__pages" id="pp-search-pages" aria-label="结果分页"></nav>
</div>
</div>
<noscript><p class="pp-search__noscript">检索需要浏览器启用 JavaScript。
也可以<a href="../years/">按年度</a>或<a href="../regions/">按地区</a>浏览全部计划。</p></noscript>
</div>
"""


def search_page() -> str:
    """The Markdown of `search.md`; the page is published at `search/` beside the index files."""
    return _PAGE
