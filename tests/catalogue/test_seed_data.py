"""The seed reads content/seed; a bad data file is a CommandError naming it, and nothing is saved."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.models import Article, ArticleFramework, Category, Section
from frameworks.models import Adoption, Capability, Framework, Measurement, Metric, Organization, Support

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "content" / "seed"
GUIDE = Path("guides") / "flask-vs-django.toml"
MODELS = [Framework, Metric, Measurement, Organization, Adoption, Capability, Support, Category, Article,
          ArticleFramework, Section]


@pytest.fixture
def data(tmp_path):
    """A copy of the seed data that a test may break."""
    return Path(shutil.copytree(SEED, tmp_path / "seed"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def seed_error(data: Path) -> str:
    with pytest.raises(CommandError) as exc:
        call_command("seed", "--data", str(data), verbosity=0)
    assert all(not m.objects.exists() for m in MODELS), "a bad data file must save nothing"
    return str(exc.value)


def test_the_copy_seeds_like_the_default(data):
    call_command("seed", "--data", str(data), verbosity=0)
    assert Article.objects.get().slug == "flask-vs-django"
    assert Section.objects.count() == 18


def test_missing_catalogue(data):
    (data / "catalogue.toml").unlink()
    message = seed_error(data)
    assert str(data / "catalogue.toml") in message and "file not found" in message


def test_missing_guide_file(data):
    (data / GUIDE).unlink()
    message = seed_error(data)
    assert str(data / "guides") in message and "no guide files" in message


def test_toml_syntax_error_gives_its_line(data):
    catalogue = data / "catalogue.toml"
    lines = catalogue.read_text(encoding="utf-8").splitlines()
    number = lines.index('slug = "github-forks"') + 1
    lines[number - 1] = 'slug = "github-forks'
    catalogue.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = seed_error(data)
    assert str(catalogue) in message and "invalid TOML" in message and f"line {number}," in message


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        (GUIDE, 'title = "Flask vs Django', 'headline = "Flask vs Django', "missing required key 'title'"),
        ("catalogue.toml", 'slug = "github-forks"\n', "", "[[metrics]] #2: missing required key 'slug'"),
        ("catalogue.toml", 'relation = "migrating_away"\n', "", "[[adoptions]] #7: missing required key 'relation'"),
        (GUIDE, 'kind = "quote"\ntext = ', 'kind = "quote"\nwords = ', "[[sections]] #11: unknown key 'words'"),
    ],
)
def test_missing_or_misspelt_key(data, file, old, new, expected):
    edit(data / file, old, new)
    message = seed_error(data)
    assert message.startswith(f"{data / file}: ") and expected in message


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('framework = "django"', 'framework = "djanga"', "[[sections]] #5 (profile): unknown framework 'djanga'"),
        ('metric = "stack-overflow-questions"', 'metric = "so-questions"',
         "[[sections]] #17 (chart): unknown metric 'so-questions'"),
        ('metrics = ["p50-latency"]', 'metrics = ["p99-latency"]',
         "[[sections]] #9 (table): unknown metric 'p99-latency'"),
        ('kind = "matrix"', 'kind = "grid"', "[[sections]] #7: unknown kind 'grid'"),
        ('categories = ["artificial-intelligence", "web"]', 'categories = ["ai"]', "unknown category 'ai'"),
    ],
)
def test_section_naming_what_does_not_exist(data, old, new, expected):
    edit(data / GUIDE, old, new)
    message = seed_error(data)
    assert message.startswith(f"{data / GUIDE}: ") and expected in message


def test_missing_markdown_body(data):
    body = data / "guides" / "flask-vs-django" / "04-speed.md"
    body.unlink()
    message = seed_error(data)
    assert message.startswith(f"{data / GUIDE}: ") and "[[sections]] #8 (prose)" in message
    assert f"Markdown file {body} not found" in message


def test_body_outside_the_guide_folder_is_refused(data):
    edit(data / GUIDE, 'body = "04-speed.md"', 'body = "../../catalogue.toml"')
    assert "body must name a Markdown file" in seed_error(data)


def test_failure_while_saving_rolls_back_the_catalogue(data):
    # Passes the file checks; the section's own validation fails once the catalogue is saved.
    (data / "guides" / "flask-vs-django" / "11-conclusion.md").write_text("  \n", encoding="utf-8")
    message = seed_error(data)
    assert message.startswith(f"{data / GUIDE}: [[sections]] #18 (prose): ") and "Write the text" in message


def test_figure_written_as_a_float_is_refused(data):
    edit(data / "catalogue.toml", 'p50-latency = "46.04"', "p50-latency = 46.04")
    message = seed_error(data)
    assert "[[frameworks]] #1 (flask) figures.p50-latency" in message and "as strings" in message


def test_every_markdown_body_is_in_the_guide(seeded):
    folder = SEED / "guides" / "flask-vs-django"
    bodies = sorted(folder.glob("*.md"))
    assert bodies
    prose = list(Section.objects.filter(article__slug="flask-vs-django", kind="prose").values_list("body", flat=True))
    assert prose == [path.read_text(encoding="utf-8") for path in bodies]
    assert all(body.strip() for body in prose)
