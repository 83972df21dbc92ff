"""The checks catch what they should, pass the site's own markup, and fail once an escape is broken."""

import feedparser
import pytest
from django.test import Client

from articles.models import Category
from editorial import feeds as feed_generators
from pagecache import generation
from tests.factories import make_article, make_framework, make_measurement, make_metric
from tests.hostile.checks import check_feed, check_page, dangers, reader_text, shown_texts, text_problems

DANGEROUS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    '<script src="https://evil.example/x.js"></script>',
    '<script src="//evil.example/x.js"></script>',
    '<script src="/media/logos/x.js"></script>',
    '<script type="module">import("/x.js")</script>',
    "<img src=x onerror=alert(1)>",
    "<img/src/onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" &#106;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="java&Tab;script:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="javascript:alert(1)" href="/fine">x</a>',
    '<button formaction="javascript:alert(1)">go</button>',
    '<img srcset="x.png 1x, javascript:alert(1) 2x">',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="x.swf"></object>',
    "<embed src=x.swf>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<form action="https://evil.example/"><button>go</button></form>',
    '<form action="//evil.example/"><button>go</button></form>',
    "<style>body{display:none}</style>",
    '<p style="color:red">x</p>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a href="https://example.com/"><text>x</text></a></svg>',
    "<svg><animate attributeName=href values=javascript:alert(1)></svg>",
    "<svg><foreignObject><p>x</p></foreignObject></svg>",
    '<svg><use href="https://evil.example/x.svg#a"/></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<plaintext>",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    '<script type="application/ld+json">{"headline": "</script><script>alert(1)</script>"}</script>',
    '<script type="application/ld+json">{"headline": "x"</script>',
    '<script type="application/ld+json">{"headline": "<!--<script>"}</script>',
]

SITE_MARKUP = [
    '<script type="application/ld+json">{"headline": "\\u003c/script\\u003e \u2028"}</script>',
    '<script src="/static/admin/js/core.js"></script>',
    '<link rel="stylesheet" href="/static/css/site.css"><link rel="icon" href="/static/favicon.svg">',
    '<link rel="alternate" type="application/rss+xml" href="/feeds/guides.rss">',
    '<form method="get" action="/compare/"><select name="fw"><option>x</option></select></form>',
    '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="x"></form>',
    '<svg viewBox="0 0 10 10" role="img"><title>t</title><g class="grid"><line x1="0"/><text>1</text></g>'
    '<polyline points="1,1 2,2"/><circle cx="1" cy="1" r="5"><title>x</title></circle></svg>',
    '<svg aria-hidden="true"><symbol id="icon"><path d="M0 0"/></symbol></svg><svg><use href="#icon"></use></svg>',
    '<a href="https://example.com/&quot;onmouseover=&quot;alert(1)">x</a>',
    '<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt; "javascript:alert(1)" onerror=alert(1)</p>',
    '<meta name="description" content="&lt;meta http-equiv=&quot;refresh&quot; content=&quot;0;url=javascript:x">',
    '<a href="mailto:x@example.com">m</a> <img src="/media/logos/x.png" alt="&quot; onerror=&quot;x">',
]


@pytest.mark.parametrize("markup", DANGEROUS)
def test_dangers_flags_every_executable_or_hijacking_construct(markup):
    assert dangers(markup), markup


@pytest.mark.parametrize("markup", SITE_MARKUP)
def test_dangers_passes_the_sites_own_markup_and_escaped_text(markup):
    assert dangers(markup) == []


def test_a_feed_value_with_markup_or_changed_text_is_reported():
    rss = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>/</link>
    <description>d</description>
    <item><title>&lt;b&gt;bold&lt;/b&gt;</title><description>&lt;script&gt;x&lt;/script&gt; &amp;amp; y</description>
      <category>&lt;i&gt;c</category></item>
    <item><title>&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;</title>
      <description>&amp;lt;script&amp;gt;x&amp;lt;/script&amp;gt; &amp;amp;amp; y</description>
      <category>&lt;i&gt;c</category></item>
    </channel></rss>"""
    raw, escaped = feedparser.parse(rss, sanitize_html=False).entries
    expected = [("title", "equals", "<b>bold</b>"), ("summary", "equals", "<script>x</script> &amp; y"),
                ("categories", "equals", "<i>c")]
    # Unescaped: the reader gets a bold title and a script, and "&amp;" turns into "&".
    problems = text_problems("raw", shown_texts(raw), expected)
    assert any("title holds markup" in p for p in problems)
    assert any("summary holds markup ['<script>', '</script>']" in p for p in problems)
    assert any("summary shows 'x & y'" in p for p in problems)
    # Escaped once for HTML: every value reads as typed; a category is plain text either way.
    assert text_problems("escaped", shown_texts(escaped), expected) == []


def test_reader_text_decodes_html_values_and_takes_plain_text_literally():
    assert reader_text("a &lt;b&gt; &amp;copy", "text/html").text == "a <b> &copy"
    assert reader_text("a &copy b", "text/html").text == "a © b"  # what an unescaped "&copy" becomes
    assert reader_text("<b>x</b>", "text/html").markup == ["<b>", "</b>"]
    assert reader_text("<b>x</b> &lt;", "text/plain").text == "<b>x</b> &lt;"


@pytest.mark.django_db
@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", '" onfocus="alert(1)" autofocus x="'])
def test_the_page_check_fails_once_an_escape_is_broken(payload):
    category = Category.objects.create(name="Topic", slug="topic", description=payload)
    framework = make_framework(tagline=payload)  # shown in the page and in its meta description attribute
    paths, reader = [category.get_absolute_url(), framework.get_absolute_url()], Client()
    assert [p for path in paths for p in check_page(path, reader)] == []

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.template.base.conditional_escape", str)
        generation.bump()  # the pages cached above must not hide the break
        broken = [p for path in paths for p in check_page(path, reader)]
    assert {p.split(":")[0] for p in broken} == set(paths), broken


@pytest.mark.django_db
@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">'])
def test_the_feed_check_fails_once_the_feeds_escape_is_broken(payload):
    """The feeds' one escape (editorial.feeds.html_text) switched off: every RSS feed is reported."""
    framework = make_framework(name=f"FW {payload}"[:100])
    make_measurement(framework, make_metric(), 5, note=payload)
    make_article([framework], title=payload, summary=payload)
    paths, reader = ["/feeds/guides.rss", "/feeds/figures.rss", f"/feeds/figures/{framework.slug}.rss"], Client()
    assert [p for path in paths for p in check_feed(path, reader)] == []

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(feed_generators, "html_text", lambda value: value)
        generation.bump()  # the feeds cached above must not hide the break
        broken = [p for path in paths for p in check_feed(path, reader)]
    assert {p.split(":")[0] for p in broken} == set(paths), broken
