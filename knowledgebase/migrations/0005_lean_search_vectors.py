"""Search vectors with the body's words stripped of positions (see knowledgebase.models.StrippedSearchVector).

PostgreSQL cannot change a generated column's expression: the columns and their indexes are
dropped and added again (the values are computed anew from the stored text).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.functions.comparison
import knowledgebase.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('knowledgebase', '0004_search_words'),
    ]

    operations = [
        migrations.RemoveIndex(model_name="article", name="kb_article_search_nl_idx"),
        migrations.RemoveIndex(model_name="article", name="kb_article_search_en_idx"),
        migrations.RemoveField(model_name="article", name="search_en"),
        migrations.RemoveField(model_name="article", name="search_nl"),
        migrations.AddField(
            model_name='article',
            name='search_en',
            field=models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector(django.db.models.functions.comparison.Coalesce(django.db.models.functions.comparison.NullIf(models.F('title_en'), models.Value('')), models.F('title_nl')), config='wizzr_english', weight='A'), '||', django.contrib.postgres.search.SearchVector(django.db.models.functions.comparison.Coalesce(django.db.models.functions.comparison.NullIf(models.F('keywords_en'), models.Value('')), models.F('keywords_nl')), config='wizzr_english', weight='A'), django.contrib.postgres.search.SearchConfig('wizzr_english')), '||', django.contrib.postgres.search.SearchVector(django.db.models.functions.comparison.Coalesce(django.db.models.functions.comparison.NullIf(models.F('summary_en'), models.Value('')), models.F('summary_nl')), config='wizzr_english', weight='B'), django.contrib.postgres.search.SearchConfig('wizzr_english')), '||', knowledgebase.models.StrippedSearchVector('plain_en', config='wizzr_english'), django.contrib.postgres.search.SearchConfig('wizzr_english')), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddField(
            model_name='article',
            name='search_nl',
            field=models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector('title_nl', config='wizzr_dutch', weight='A'), '||', django.contrib.postgres.search.SearchVector('keywords_nl', config='wizzr_dutch', weight='A'), django.contrib.postgres.search.SearchConfig('wizzr_dutch')), '||', django.contrib.postgres.search.SearchVector('summary_nl', config='wizzr_dutch', weight='B'), django.contrib.postgres.search.SearchConfig('wizzr_dutch')), '||', knowledgebase.models.StrippedSearchVector('plain_nl', config='wizzr_dutch'), django.contrib.postgres.search.SearchConfig('wizzr_dutch')), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_nl"], name="kb_article_search_nl_idx"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_en"], name="kb_article_search_en_idx"),
        ),
    ]
