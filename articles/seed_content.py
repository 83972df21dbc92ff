"""The first real content: the 2019 Flask vs Django guide.

Facts and figures come from the 2019 guide in ``shared/seeds``; the prose is
our own. Data-heavy parts are live blocks, so the guide shows whatever the
catalogue currently holds rather than numbers frozen in text.
"""

from datetime import date, datetime, timezone

AS_OF_2019 = date(2019, 8, 1)

METRICS = [
    # slug, name, short name, unit, decimal places, higher is better, description
    ("github-stars", "GitHub stars", "Stars", "", 0, True, "People who starred the main repository on GitHub."),
    ("github-forks", "GitHub forks", "Forks", "", 0, True, "Forks of the main repository on GitHub."),
    (
        "used-by",
        "Used by",
        "Used by",
        "projects",
        0,
        True,
        "Public repositories that GitHub's dependency graph lists as depending on the framework.",
    ),
    (
        "stack-overflow-questions",
        "Stack Overflow questions",
        "SO questions",
        "",
        0,
        True,
        "Questions carrying the framework's tag on Stack Overflow.",
    ),
    (
        "p50-latency",
        "Median (p50) latency",
        "p50 latency",
        "ms",
        2,
        False,
        "Half of the benchmark's requests were answered within this time.",
    ),
]

BENCHMARK = ("the-benchmarker/web-frameworks", "https://github.com/the-benchmarker/web-frameworks")

FRAMEWORKS = [
    {
        "slug": "flask",
        "name": "Flask",
        "tagline": "A small core you extend, built on Werkzeug and Jinja2.",
        "description": (
            "Flask gives you request handling, routing and templates, and leaves the rest to "
            "extensions or your own code. It is maintained by the Pallets project."
        ),
        "year_created": 2010,
        "license": "BSD-3-Clause",
        "home_url": "https://palletsprojects.com/p/flask/",
        "repository_url": "https://github.com/pallets/flask",
        "documentation_url": "https://flask.palletsprojects.com/",
        "figures": {
            "github-stars": 45761,
            "github-forks": 12870,
            "used-by": 300700,
            "stack-overflow-questions": 29378,
        },
        "so_tag": "flask",
        "latency": "46.04",
    },
    {
        "slug": "django",
        "name": "Django",
        "tagline": "Batteries included: ORM, admin, authentication and security in one package.",
        "description": (
            "Django bundles most of what a database-backed web site needs, from its ORM and "
            "admin to authentication, feeds and sitemaps. The Django Software Foundation looks after it."
        ),
        "year_created": 2005,
        "license": "BSD-3-Clause",
        "home_url": "https://www.djangoproject.com/",
        "repository_url": "https://github.com/django/django",
        "documentation_url": "https://docs.djangoproject.com/",
        "figures": {
            "github-stars": 43221,
            "github-forks": 18596,
            "used-by": 282618,
            "stack-overflow-questions": 204483,
        },
        "so_tag": "django",
        "latency": "144.29",
    },
]

# organization, framework, relation, other framework, note
ADOPTIONS = [
    ("LinkedIn", "flask", "uses", None, ""),
    ("Lyft", "flask", "uses", None, ""),
    ("MIT", "flask", "also_uses", "django", ""),
    ("Netflix", "flask", "migrated_from", "django", "APIs wrapping its high-load orchestration tools"),
    ("Pinterest", "flask", "migrated_from", "django", ""),
    ("Twilio", "flask", "uses", None, ""),
    ("Uber", "flask", "migrating_away", None, "moving from Flask to Go"),
    ("UK Government", "flask", "uses", None, ""),
    ("Bitbucket", "django", "uses", None, ""),
    ("Disqus", "django", "uses", None, ""),
    ("Dropbox", "django", "uses", None, ""),
    ("Eventbrite", "django", "uses", None, ""),
    ("Indeed", "django", "uses", None, ""),
    ("Instagram", "django", "uses", None, ""),
    ("MIT", "django", "also_uses", "flask", ""),
]

CAPABILITIES = [
    # slug, name, {framework: (level, package, package url, note)}
    (
        "orm",
        "Object-relational mapper (ORM)",
        {
            "flask": (
                "third_party",
                "Flask-SQLAlchemy",
                "https://flask-sqlalchemy.palletsprojects.com/",
                "Many larger teams write their own models instead.",
            ),
            "django": ("built_in", "", "", "Models are plain Python classes."),
        },
    ),
    (
        "forms",
        "Form validation",
        {
            "flask": (
                "third_party",
                "WTForms",
                "https://wtforms.readthedocs.io/",
                "A companion package builds forms from SQLAlchemy models.",
            ),
            "django": ("built_in", "", "", ""),
        },
    ),
    (
        "admin",
        "Admin interface",
        {
            "flask": (
                "third_party",
                "Flask-Admin",
                "https://flask-admin.readthedocs.io/",
                "Works with SQLAlchemy, MongoEngine and PyMongo.",
            ),
            "django": ("built_in", "", "", "Custom actions and per-user permissions."),
        },
    ),
    (
        "authentication",
        "Authentication",
        {
            "flask": (
                "third_party",
                "Flask-Security",
                "https://flask-security-too.readthedocs.io/",
                "Pulls in further libraries such as itsdangerous and passlib.",
            ),
            "django": ("built_in", "", "", "Users, groups, permissions and configurable password hashing."),
        },
    ),
    (
        "security",
        "CSRF, XSS and clickjacking protection",
        {
            "flask": ("third_party", "Flask-Security", "https://flask-security-too.readthedocs.io/", ""),
            "django": ("built_in", "", "", "Also guards against SQL injection and validates the Host header."),
        },
    ),
    (
        "testing",
        "Testing tools",
        {
            "flask": ("built_in", "", "", "Werkzeug's test client; database rollback between tests is up to you."),
            "django": ("built_in", "", "", "Each test runs in a transaction that is rolled back."),
        },
    ),
    (
        "templates",
        "Template engine",
        {
            "flask": ("built_in", "", "", "Jinja2, modelled on Django's template language."),
            "django": ("built_in", "", "", "Django template language; Jinja2 also supported."),
        },
    ),
    (
        "static-files",
        "Static files",
        {
            "flask": (
                "built_in",
                "",
                "",
                "Serving is built in; collecting files for deployment needs Flask-Collect.",
            ),
            "django": ("built_in", "", "", "collectstatic gathers files for deployment."),
        },
    ),
    ("feeds", "RSS and Atom feeds", {"flask": ("none", "", "", ""), "django": ("built_in", "", "", "")}),
    ("sitemaps", "Sitemaps", {"flask": ("none", "", "", ""), "django": ("built_in", "", "", "")}),
    ("gis", "GIS (geographic data)", {"flask": ("none", "", "", ""), "django": ("built_in", "", "", "GeoDjango.")}),
]

CATEGORIES = [("artificial-intelligence", "Artificial Intelligence"), ("web", "Web")]

ARTICLE = {
    "slug": "flask-vs-django",
    "title": "Flask vs Django: how Python's two best-known web frameworks compare",
    "standfirst": "One hands you a small core to build on, the other arrives with almost everything included. "
    "Here is how they differ, and when each is the better bet.",
    "summary": "Flask keeps its core small and leaves the rest to extensions; Django ships with an ORM, admin, "
    "authentication and security built in. We compare their origins, speed, learning curve, admin tools, "
    "security, testing and popularity, with every figure dated and sourced.",
    "byline": "compare_site editors",
    "publish_at": datetime(2019, 8, 30, 9, 0, tzinfo=timezone.utc),
    "frameworks": ["flask", "django"],
    "categories": ["artificial-intelligence", "web"],
}

# kind, heading, fields
SECTIONS = [
    (
        "prose",
        "Big framework or small one?",
        {
            "body": """\
A web framework spares you from building an application's plumbing yourself: routing, templates,
data access, security. How much of it the framework hands you decides how soon you can ship, and
what you pay for that later.

Python's web frameworks have grown with the language, and with the wave of machine-learning and
data work that has drawn so many developers to Python over the past decade. Flask and Django are
the two that most teams weigh first, and they sit at opposite ends of the scale.

**What a large framework costs you.** One that anticipates most needs gets a prototype out fast,
but it can also bring:

- overhead from features you never call, which starts to show at scale;
- more upkeep, because a change in one bundled module ripples into the rest;
- a larger attack surface, from code that is deployed but never used;
- friction whenever outside libraries must fit around tightly coupled internals.

**What a small framework costs you.** A minimal core is quick and easy to extend, but:

- much of what a real project needs is missing until you add it;
- choosing, wiring up and maintaining packages, or writing your own, takes time and money;
- home-made security code and a stack of extensions leave more room for mistakes;
- the more bespoke your stack becomes, the less the wider community can help with it.

Call Flask the David and Django the Goliath of this contest. Neither wins outright: they suit
different projects, and the choice trades ease of getting started against the weight you carry.
""",
        },
    ),
    (
        "prose",
        "Origins and uptake",
        {
            "body": """\
### Flask

Flask began in 2010 as an April Fools' joke and became a deliberately small framework. It handles
requests and routing on top of the Werkzeug WSGI toolkit and renders pages with the Jinja2 template
engine; both came out of the Pocoo group and now live in the Pallets project. Everything else is
picked from extensions or written in-house.

There is no ORM in the box. Most projects reach for SQLAlchemy through the Flask-SQLAlchemy
extension, while many larger teams define their own models. Form validation usually comes from
WTForms, which can generate forms straight from SQLAlchemy models. Jinja2 was modelled on Django's
template language, so templates feel alike in both. Flask serves static files itself; gathering them
for deployment, which Django does with `collectstatic`, takes the Flask-Collect extension.

The price is more assembly up front. The reward is a codebase with very few rules imposed on it,
which is why large companies chose Flask as a starting point. Netflix, for one, moved the APIs
around its heavy-duty orchestration tooling from Django to Flask.
""",
        },
    ),
    ("profile", "", {"framework": "flask", "caption": "Flask's notable users as of 2019."}),
    (
        "prose",
        "",
        {
            "body": """\
### Django

Django takes its name from the jazz guitarist Django Reinhardt. Two developers at the Lawrence
Journal-World newspaper started it as a side project: one more in-house CMS at a time when newsrooms
often built their own, but written in Python. It was released under a BSD licence in 2005, and the
newly founded Django Software Foundation took it over three years later.

Django follows the model–view–controller pattern (in its own terms, model–template–view), keeping
the data, the logic and the presentation apart. It ships its own ORM, in which models are Python
classes, and a long list of built-in parts: a customisable admin, an authentication system you can
extend, RSS and Atom feeds, sitemaps, support for geographic data, and protection against SQL
injection, cross-site scripting and other common attacks. One Django project can also host several
applications side by side, which Flask can only approximate with separate views.
""",
        },
    ),
    ("profile", "", {"framework": "django", "caption": "Django's notable users as of 2019."}),
    (
        "table",
        "",
        {
            "metrics": ["github-stars", "github-forks", "used-by", "stack-overflow-questions"],
            "caption": "Popularity side by side. Each figure links to its source.",
        },
    ),
    (
        "matrix",
        "What comes in the box",
        {"caption": "Built in, through an extension, or not at all."},
    ),
    (
        "prose",
        "Speed",
        {
            "body": """\
Because it does less on each request, Flask is usually the faster of the two. You pay for that
speed earlier, in the design and feature work that Django would otherwise have done for you.

In TechEmpower's 2019 benchmark rounds, Flask without custom forks finished one place ahead of
Django. A benchmark suite on GitHub shows a wider gap in median latency, as the table below gives.
""",
        },
    ),
    (
        "table",
        "",
        {"metrics": ["p50-latency"], "caption": "Median response time in the web-frameworks benchmark; lower is faster."},
    ),
    (
        "prose",
        "Learning curve",
        {
            "body": """\
Some teams treat Flask as a stepping stone. It teaches the ideas both frameworks share, and once
those are understood the team moves on to Django and lets it carry more of the load.

Developers broadly agree that Flask is quicker to learn, but a short feature list should not be
mistaken for a toy. Pinterest, among others, moved from Django to Flask to shed framework overhead,
or to single out one capability that both frameworks offer but that is easier to target precisely
in the leaner one.
""",
        },
    ),
    (
        "quote",
        "",
        {
            "body": "A short feature list is not the same thing as a toy framework.",
            "attribution": "compare_site editors",
        },
    ),
    (
        "prose",
        "Administrative tools",
        {
            "body": """\
Flask has no admin interface of its own. The Flask-Admin extension adds one and works with several
data layers, among them SQLAlchemy, MongoEngine and PyMongo. Its documentation concedes that putting
HTTP Basic Auth in front of the admin takes some effort, and tailoring it to a project can be slow
going.

Django's admin is one of its best-known features: a complete back office from the first day, which
you can extend with your own actions and fine-grained permissions per user. People who have used
WordPress or similar PHP systems will find it familiar.
""",
        },
    ),
    (
        "prose",
        "Security and authentication",
        {
            "body": """\
With Flask, security is once more something you add. Flask-Security bundles a full kit: role
management, password hashing, session-based and HTTP Basic authentication, and JSON or AJAX support,
with optional login tracking, sign-up, and token-based password recovery and account confirmation.

Much of that leans on further libraries such as itsdangerous and passlib. Each added package brings
some overhead and can erode the speed advantage that may have been the reason to pick Flask, although
the packages are small enough that you can take only what you need.

Django covers most of this by default. A new project is protected against cross-site scripting,
clickjacking, SQL injection and cross-site request forgery, and it validates the Host header. Its
authentication system provides:

- users and groups;
- forms and view helpers that limit content per user;
- configurable password hashing;
- permissions per user and per object.

Login throttling, password-strength checks, object-level permission backends and OAuth sign-in are
available from third-party packages.
""",
        },
    ),
    (
        "prose",
        "Departing from Django's roadmap",
        {
            "body": """\
A team that later replaces Django's standard parts with third-party ones it prefers gives up much of
what made Django worth choosing. Django tolerates this, but unlike Flask it was not designed for it,
and using it as a bare skeleton misses the point. In practice it tends to happen when a project wants
to keep Django's admin but needs a different ORM.
""",
        },
    ),
    (
        "prose",
        "Testing",
        {
            "body": """\
Both frameworks can be tested with Python's built-in `unittest`, and both let you swap in another
test runner.

Django's own test tools are a genuine advantage, especially when tests touch the database: each test
runs inside a transaction that is rolled back afterwards, something that takes work to arrange in
Flask. Flask's testing rests on Werkzeug's test client, which sends requests through the application,
with database transactions left to you or to third-party libraries.
""",
        },
    ),
    (
        "prose",
        "Mind share",
        {
            "body": """\
Stack Overflow holds many times more questions about Django than about Flask; the chart and table
below give the counts. Google Trends shows a closer race over the same years, although interest in
Django stays consistently higher.
""",
        },
    ),
    ("chart", "", {"metric": "stack-overflow-questions", "caption": "Stack Overflow questions over time."}),
    (
        "prose",
        "Conclusion",
        {
            "body": """\
Some see Flask as a training ground that leads, sooner or later, to Django. Others argue the reverse:
for developers who already know where Python web applications strain, Flask supplies every building
block a mature system needs, and it is Django that holds your hand.

The familiar complaint that Flask makes you solve problems Django has already solved carries less
weight than it seems, because community projects on GitHub fill most of those gaps.

When getting to market quickly matters most and the team has no deep experience with either, Django
will usually get there first, and its performance cost only shows at very high traffic. Much depends
on the data architecture, though. Django assumes certain paths and workflows, and a project that has
to leave them can find it brittle; its close coupling of business logic, views and database access
can limit flexibility or performance at scale unless that is planned for from the start.

For a new application built around create, read, update and delete, with no legacy to migrate,
Django is a strong choice, provided its ORM suits you. If the project has to talk to many other
systems, and above all to legacy data stores, Flask's extra effort up front is likely to pay off over
the long run.
""",
        },
    ),
]
