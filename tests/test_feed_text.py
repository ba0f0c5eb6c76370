"""Feeds and JSON stay readable whatever characters reach them: a control character, U+FFFE or a lone surrogate in
a title, summary, issuer or document number must not make the whole document unreadable to every reader."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planpub.catalog import Catalog
from planpub.portal.catalogue import plan_document, to_json
from planpub.portal.feeds import ATOM, Feed, render_feed, xml_text
from planpub.portal.links import SiteLinks

# Any character, with those XML forbids, and the ones next to its limits, made common.
_AWKWARD = st.sampled_from(["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\ufffe", "\uffff", "\ud800",
                            "\udfff", "\ud7ff", "\ue000", "\ufffd", "\U00010000", "\U0010ffff", "&", "<", "]",
                            "\t", "\r", "\n"])
TEXT = st.text(st.one_of(st.characters(exclude_categories=()), _AWKWARD), max_size=30)
SITES = [SiteLinks(""), SiteLinks("https://example.gov.cn/kjj/")]


def _readable(feed: bytes) -> ET.Element:
    root = ET.fromstring(feed)
    assert root.tag == f"{{{ATOM}}}feed"
    return root


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, summary=TEXT, issuer=TEXT, doc_number=TEXT, site_name=TEXT, absolute=st.booleans())
def test_every_feed_is_well_formed_xml(sample_catalog: Catalog, title: str, summary: str, issuer: str,
                                       doc_number: str, site_name: str, absolute: bool) -> None:
    plan = dataclasses.replace(sample_catalog.plans[0], title=title, summary=summary or None, issuer=issuer,
                               doc_number=doc_number or None)
    feed = Feed("feed.xml", "", site_name, f"{site_name}最新发布的计划", [plan, sample_catalog.plans[1]])
    root = _readable(render_feed(feed, sample_catalog, SITES[absolute], site_name))
    entry = root.find(f"{{{ATOM}}}entry")
    assert entry is not None
    # An XML parser reads every line end as \n.
    assert entry.findtext(f"{{{ATOM}}}title") == xml_text(title).replace("\r\n", "\n").replace("\r", "\n")


def test_what_xml_forbids_is_left_out_and_the_rest_kept() -> None:
    assert xml_text("a\x01b\x0bc\ufffed\ud800e\tf\ng\rh\U0001f600") == "abcde\tf\ng\rh\U0001f600"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, summary=TEXT)
def test_the_json_of_a_plan_is_always_valid(sample_catalog: Catalog, title: str, summary: str) -> None:
    plan = dataclasses.replace(sample_catalog.plans[0], title=title, summary=summary or None)
    document = json.loads(to_json(plan_document(sample_catalog, plan, "站", SITES[0])).decode("utf-8"))
    assert document["plan"]["title"] == title
