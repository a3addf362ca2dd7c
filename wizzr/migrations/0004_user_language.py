# The language a person is sent e-mails and notifications in (the interface language they chose or
# logged in with). Existing accounts start without one: the sender's language, as before, until their
# next login or language switch.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wizzr", "0003_audit_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("nl", "Dutch"), ("en", "English")],
                help_text=(
                    "De taal van de e-mails en meldingen die deze gebruiker krijgt. Volgt de taalkeuze in de kop "
                    "van de pagina; bij het inloggen krijgt de gebruiker de site in deze taal."
                ),
                max_length=10,
                verbose_name="taal",
            ),
        ),
    ]
