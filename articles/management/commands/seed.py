"""Load the first real content: Flask, Django and the 2019 guide.

Idempotent and non-destructive: rows that already exist (matched by slug,
or by framework, metric and date for figures) are left as editors made them.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles import seed_content as seed
from articles.models import Article, ArticleFramework, Category, Section
from frameworks.models import Adoption, Capability, Framework, Measurement, Metric, Organization, Support
from frameworks.services import record_measurements


class Command(BaseCommand):
    help = "Load the seed catalogue and the flask-vs-django guide (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds any framework or guide.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and (Framework.objects.exists() or Article.objects.exists()):
            self.stdout.write("The database already has content; seed skipped.")
            return
        with transaction.atomic():
            metrics = self._metrics()
            frameworks = self._frameworks(metrics)
            self._adoptions(frameworks)
            capabilities = self._capabilities(frameworks)
            article = self._article(frameworks, metrics, capabilities)
        self.stdout.write(self.style.SUCCESS(f"Seed content ready: {article.get_absolute_url()}"))

    def _metrics(self) -> dict[str, Metric]:
        metrics = {}
        for position, (slug, name, short, unit, places, higher, description) in enumerate(seed.METRICS, 1):
            metrics[slug], _ = Metric.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "short_name": short,
                    "unit": unit,
                    "decimal_places": places,
                    "higher_is_better": higher,
                    "description": description,
                    "position": position * 10,
                },
            )
        return metrics

    def _frameworks(self, metrics) -> dict[str, Framework]:
        frameworks = {}
        fact_fields = ("name", "tagline", "description", "year_created", "license", "home_url",
                       "repository_url", "documentation_url")
        for data in seed.FRAMEWORKS:
            fw, _ = Framework.objects.get_or_create(
                slug=data["slug"], defaults={k: data[k] for k in fact_fields}
            )
            frameworks[fw.slug] = fw
            repo = data["repository_url"]
            sources = {
                "github-stars": ("GitHub", repo),
                "github-forks": ("GitHub", f"{repo}/network/members"),
                "used-by": ("GitHub dependency graph", f"{repo}/network/dependents"),
                "stack-overflow-questions": (
                    "Stack Overflow",
                    f"https://stackoverflow.com/questions/tagged/{data['so_tag']}",
                ),
            }
            figures = dict(data["figures"], **{"p50-latency": data["latency"]})
            sources["p50-latency"] = seed.BENCHMARK
            for slug, value in figures.items():
                metric = metrics[slug]
                if Measurement.objects.filter(framework=fw, metric=metric, as_of=seed.AS_OF_2019).exists():
                    continue
                name, url = sources[slug]
                record_measurements(
                    framework=fw, values={metric: value}, as_of=seed.AS_OF_2019, source_name=name, source_url=url
                )
        return frameworks

    def _adoptions(self, frameworks) -> None:
        for org_name, fw_slug, relation, other_slug, note in seed.ADOPTIONS:
            org, _ = Organization.objects.get_or_create(
                slug=org_name.lower().replace(" ", "-"), defaults={"name": org_name}
            )
            Adoption.objects.get_or_create(
                organization=org,
                framework=frameworks[fw_slug],
                defaults={
                    "relation": relation,
                    "other_framework": frameworks[other_slug] if other_slug else None,
                    "note": note,
                    "source_name": "Flask vs Django guide research, 2019",
                    "as_of": seed.AS_OF_2019,
                },
            )

    def _capabilities(self, frameworks) -> dict[str, Capability]:
        capabilities = {}
        for position, (slug, name, support) in enumerate(seed.CAPABILITIES, 1):
            cap, _ = Capability.objects.get_or_create(slug=slug, defaults={"name": name, "position": position * 10})
            capabilities[slug] = cap
            for fw_slug, (level, package, package_url, note) in support.items():
                Support.objects.get_or_create(
                    framework=frameworks[fw_slug],
                    capability=cap,
                    defaults={"level": level, "package": package, "package_url": package_url, "note": note},
                )
        return capabilities

    def _article(self, frameworks, metrics, capabilities) -> Article:
        data = seed.ARTICLE
        categories = [
            Category.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in seed.CATEGORIES
        ]
        article, created = Article.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "standfirst": data["standfirst"],
                "summary": data["summary"],
                "byline": data["byline"],
                "status": Article.Status.PUBLISHED,
                "publish_at": data["publish_at"],
            },
        )
        if not created:
            return article
        article.categories.set(categories)
        for position, slug in enumerate(data["frameworks"]):
            ArticleFramework.objects.create(article=article, framework=frameworks[slug], position=position)
        for position, (kind, heading, fields) in enumerate(seed.SECTIONS, 1):
            section = Section(
                article=article,
                position=position * 10,
                kind=kind,
                heading=heading,
                body=fields.get("body", ""),
                attribution=fields.get("attribution", ""),
                caption=fields.get("caption", ""),
                framework=frameworks.get(fields.get("framework")),
                metric=metrics.get(fields.get("metric")),
            )
            section.full_clean()
            section.save()
            section.metrics.set(metrics[s] for s in fields.get("metrics", []))
        return article
