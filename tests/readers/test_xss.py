"""Editor input cannot inject markup: an XSS corpus in every field, checked on every page that renders it.

Pages are parsed; any executable construct (script, event handler, javascript:/data: URL, iframe, object,
style, base, meta refresh, SVG script) that is not the site's own fails the test (``tests.hostile.checks``).
Every feed is read as a feed reader reads it: strict XML, no feedparser fault, every value plain text.
The fuller corpus, typed in through the admin, is ``tests/hostile/test_corpus.py``.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from articles.models import Category, Section
from frameworks.models import Adoption, Capability, Framework, Organization, Support
from tests.factories import make_article, make_framework, make_measurement, make_metric, make_section
from tests.hostile.checks import check_feed, check_page
from tests.routes import feed_paths

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;&#97;vascript:alert(1)">entities</a>',
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<embed src=javascript:alert(1)>",
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="https://evil.example/"><button formaction="javascript:alert(1)">go</button></form>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<a href=\"vbscript:msgbox(1)\">vb</a>",
    "<<script>script>alert(1)<</script>/script>",
    "<!--<img src=x onerror=alert(1)>-->",
]


def fill_everything(payload: str):
    """A catalogue and a guide where every editor-written text field holds the payload."""
    text = payload[:90]
    fw = make_framework(name=f"FW {text}"[:100], tagline=payload[:200], description=payload, license=text,
                        language=text[:50], logo_alt=payload[:200])
    other = make_framework(name=f"Other {text}"[:100])
    metric = make_metric(name=f"M {text}"[:100], short_name=text[:40], unit=text[:30], description=payload)
    make_measurement(fw, metric, 10, as_of=date(2019, 1, 1), source_name=payload[:200], note=payload[:300])
    make_measurement(fw, metric, 20, as_of=date(2019, 6, 1), source_name=payload[:200])
    make_measurement(other, metric, 15, as_of=date(2019, 6, 1))
    org = Organization.objects.create(name=f"Org {text}"[:150], slug=f"org-{Organization.objects.count()}")
    Adoption.objects.create(organization=org, framework=fw, note=payload[:300], source_name=payload[:200],
                            relation=Adoption.Relation.MIGRATING_AWAY)
    cap = Capability.objects.create(name=f"Cap {text}"[:100], slug=f"cap-{Capability.objects.count()}",
                                    description=payload)
    Support.objects.create(framework=fw, capability=cap, level=Support.Level.THIRD_PARTY, package=text[:100],
                           note=payload[:300])
    category = Category.objects.create(name=f"Cat {text}"[:100], slug=f"cat-{Category.objects.count()}",
                                       description=payload)
    article = make_article([fw, other], title=payload[:200], standfirst=payload[:300], summary=payload,
                           byline=payload[:150])
    article.categories.add(category)
    make_section(article, heading=payload[:200], body=payload, caption=payload[:300])
    make_section(article, kind=Section.Kind.QUOTE, body=payload, attribution=payload[:200])
    make_section(article, kind=Section.Kind.PROFILE, framework=fw, caption=payload[:300])
    table = make_section(article, kind=Section.Kind.TABLE, heading=payload[:200])
    table.metrics.add(metric)
    matrix = make_section(article, kind=Section.Kind.MATRIX)
    matrix.capabilities.add(cap)
    make_section(article, kind=Section.Kind.CHART, metric=metric, caption=payload[:300])
    return fw, article, category


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_public_page_or_feed_lets_editor_input_execute(payload):
    fw, article, category = fill_everything(payload)
    reader = Client()
    pages = ["/", article.get_absolute_url(), category.get_absolute_url(), reverse("frameworks:list"),
             fw.get_absolute_url()]
    feeds = feed_paths() + [reverse("feeds:framework-figures", kwargs={"slug": fw.slug})]
    problems = [p for path in pages for p in check_page(path, reader)]
    problems += [p for path in feeds for p in check_feed(path, reader)]
    assert problems == []


def test_the_admin_shows_editor_input_inert(admin_client_):
    """The admin escapes uniformly, so one object holding the whole corpus covers it."""
    fw, article, category = fill_everything("\n".join(PAYLOADS))
    paths = [
        reverse("admin:frameworks_framework_changelist"),
        reverse("admin:frameworks_framework_change", args=[fw.pk]),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_category_change", args=[category.pk]),
    ]
    # The admin loads its translation catalogue as a script of its own, outside /static/.
    own = {f"<script {{'src': '{reverse('admin:jsi18n')}'}}>"}
    assert [p for path in paths for p in check_page(path, admin_client_, allowed=own)] == []


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "vbscript:msgbox(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)"])
def test_url_fields_refuse_script_schemes(url):
    fw = Framework(name="Safe", slug="safe", home_url=url, repository_url=url, documentation_url=url)
    with pytest.raises(ValidationError) as caught:
        fw.full_clean()
    assert {"home_url", "repository_url", "documentation_url"} <= set(caught.value.message_dict)
