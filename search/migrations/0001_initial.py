"""The search index: SearchEntry, and the full-text index beside it (see search.db_index)."""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
import django.db.models.deletion
from django.db import migrations, models

from search import db_index


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0004_text_fields_normalised'),
        ('frameworks', '0006_collection'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('framework', 'Framework'), ('guide', 'Guide'), ('capability', 'Capability'), ('organisation', 'Adopter')], max_length=12)),
                ('title', models.CharField(max_length=300)),
                ('body', models.TextField(blank=True, help_text='Every other searchable word of the target, as plain text.')),
                ('url', models.CharField(help_text="Where a result links: the target's page.", max_length=300)),
                ('slug', models.CharField(blank=True, help_text='Frameworks: their slug, for compare links.', max_length=100)),
                ('search_vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('article', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article')),
                ('capability', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='frameworks.capability')),
                ('framework', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='frameworks.framework')),
                ('organization', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='frameworks.organization')),
            ],
            options={
                'verbose_name_plural': 'search entries',
                'ordering': ['title', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('article__isnull', True), ('capability__isnull', True), ('framework__isnull', False), ('organization__isnull', True)), models.Q(('article__isnull', False), ('capability__isnull', True), ('framework__isnull', True), ('organization__isnull', True)), models.Q(('article__isnull', True), ('capability__isnull', False), ('framework__isnull', True), ('organization__isnull', True)), models.Q(('article__isnull', True), ('capability__isnull', True), ('framework__isnull', True), ('organization__isnull', False)), _connector='OR'), name='search_entry_has_one_target', violation_error_message='A search entry points at exactly one framework, guide, capability or organisation.')],
            },
        ),
        # CREATE EXTENSION pg_trgm on PostgreSQL; nothing elsewhere.
        TrigramExtension(),
        migrations.RunPython(db_index.create, db_index.drop),
    ]
