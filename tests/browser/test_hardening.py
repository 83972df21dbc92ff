"""The admin works fully under the strict CSP, in a real browser: no violation, every widget alive."""

import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.browser.chromium import launch

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
playwright = pytest.importorskip("playwright.sync_api")

# Not serialized_rollback: a serialized test that follows a plain transactional one (live-server tests
# elsewhere) fails to reload content types. These tests need nothing but what they create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


@pytest.fixture
def page(live_server):
    with playwright.sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(base_url=live_server.url)
        context.add_init_script(WATCH_VIOLATIONS)
        page = context.new_page()
        page.console_messages = []
        page.on("console", lambda msg: page.console_messages.append(msg.text))
        page.on("pageerror", lambda exc: page.console_messages.append(f"pageerror: {exc}"))
        yield page
        browser.close()


def assert_clean(page):
    violations = page.evaluate("window.__cspViolations")
    csp_console = [m for m in page.console_messages if "Content Security Policy" in m or "pageerror" in m]
    assert violations == [] and csp_console == [], (violations, csp_console)


def test_admin_widgets_work_under_the_csp(page, django_user_model):
    call_command("seed", verbosity=0)
    django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)

    page.goto(reverse("admin:login"))
    page.fill("#id_username", "boss")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**" + reverse("admin:index"))
    assert_clean(page)

    # Prepopulated slug, inlines, date widgets and autocomplete on the framework form.
    page.goto(reverse("admin:frameworks_framework_add"))
    assert_clean(page)
    page.locator("#id_name").press_sequentially("Brand New Framework")
    playwright.expect(page.locator("#id_slug")).to_have_value("brand-new-framework")
    page.click("#adoptions-group .add-row a")
    assert page.locator("#adoptions-group tr.form-row.dynamic-adoptions").count() == 1
    page.click("#measurements-group tr.form-row .datetimeshortcuts a:has-text('Today')")
    assert page.input_value("#id_measurements-0-as_of")
    page.click("#measurements-group tr.form-row .datetimeshortcuts .date-icon")
    assert page.locator(".calendarbox:visible").count() == 1
    page.keyboard.press("Escape")
    page.click("#adoptions-group tr.dynamic-adoptions .select2-selection")
    page.fill(".select2-search__field", "Pin")
    page.wait_for_selector(".select2-results__option:has-text('Pinterest')")
    assert_clean(page)

    # The topics' checkboxes and the date-time widget on the guide form.
    page.goto(reverse("admin:articles_article_add"))
    assert page.locator("#id_categories").count() == 1
    page.click("#id_publish_at_0 ~ .datetimeshortcuts a:has-text('Today')")
    page.locator("#id_title").press_sequentially("Hello CSP")
    playwright.expect(page.locator("#id_slug")).to_have_value("hello-csp")
    assert_clean(page)

    # A change list with actions and the collapse fieldset.
    page.goto(reverse("admin:articles_article_changelist"))
    page.check("#action-toggle")
    assert page.locator(".action-counter").inner_text().startswith("1 of 1")
    assert_clean(page)


def test_long_unicode_and_rtl_text_does_not_break_the_layout(page):
    from articles.models import Section
    from tests.factories import make_article, make_framework, make_metric, make_measurement, make_section

    long_word = "Unbreakable" * 30
    rtl = "מסגרת ווב לפייתון עם ממשק ניהול \u202eoverride\u202c إطار عمل ويب"
    fw = make_framework(name="Ünïcödé 日本語 " + long_word[:60], tagline=f"{rtl} {long_word}"[:200],
                        description=f"{long_word}\n\n{rtl}")
    metric = make_metric(name="Stars " + long_word[:80])
    make_measurement(fw, metric, 123456789, source_name=long_word[:200])
    article = make_article([fw], title=f"{long_word[:150]} {rtl[:40]}", standfirst=rtl, byline=long_word[:150])
    make_section(article, heading=long_word[:200], body=f"{long_word}\n\n{rtl} **bold** 👩‍💻")
    make_section(article, kind=Section.Kind.TABLE, heading=rtl)
    other = make_framework(name="Other", slug="aaa-other")
    make_measurement(other, metric, 5)
    compare = reverse("compare:detail", kwargs={"slugs": f"{other.slug}-vs-{fw.slug}"})
    page.set_viewport_size({"width": 375, "height": 800})
    for path in (article.get_absolute_url(), fw.get_absolute_url(), "/", reverse("frameworks:list"), compare):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)
        assert_clean(page)
