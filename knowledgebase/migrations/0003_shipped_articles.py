"""Ship the knowledge-base categories and articles (see knowledgebase/content/).

Existing articles are never overwritten here, so edits made in the admin survive.
"""

from django.db import migrations


def load(apps, schema_editor):
    from knowledgebase.content import load_shipped

    load_shipped(
        article_model=apps.get_model("knowledgebase", "Article"),
        category_model=apps.get_model("knowledgebase", "Category"),
    )


class Migration(migrations.Migration):
    dependencies = [("knowledgebase", "0002_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
