"""Editor Markdown never reaches a page as active markup."""

import pytest

from articles.markdown import render_markdown
from tests.factories import make_article, make_section

PAYLOADS = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<img src="x" onerror="alert(1)">',
    '<p onclick="alert(1)">hi</p>',
    '<div onmouseover="alert(1)">hover</div>',
    "<svg onload=alert(1)><circle /></svg>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    "<scr<script>ipt>alert(1)</script>",
    "![img](javascript:alert(1))",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_neutralised(payload):
    html = render_markdown(f"Before\n\n{payload}\n\nAfter").lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "data:text/html" not in html
    assert "onerror" not in html and "onclick" not in html and "onload" not in html and "onmouseover" not in html
    assert "<iframe" not in html and "<svg" not in html and "<style" not in html
    assert "before" in html and "after" in html


def test_markdown_features_survive():
    html = render_markdown("## Not allowed h2\n\n**bold** and [link](https://example.com)\n\n- a\n- b\n\n`code`")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer">link</a>' in html
    assert "<li>a</li>" in html and "<code>code</code>" in html
    assert "<h2>" not in html


@pytest.mark.django_db
def test_guide_page_never_renders_payloads(client):
    article = make_article(slug="xss")
    make_section(article, body="\n\n".join(PAYLOADS))
    html = client.get("/guides/xss/").content.decode().lower()
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "onerror=" not in html and "onload=" not in html
