"""The first sensitive-words list, from the EXCHANGE_SENSITIVE_WORDS setting (the union admins
edit it in the pages afterwards)."""

from django.conf import settings
from django.db import migrations


def seed(apps, schema_editor):
    SensitiveWord = apps.get_model("exchange", "SensitiveWord")
    for word in getattr(settings, "EXCHANGE_SENSITIVE_WORDS", ()):
        word = " ".join(str(word).split())[:30]
        if word:
            SensitiveWord.objects.get_or_create(word=word)


class Migration(migrations.Migration):
    dependencies = [("exchange", "0002_search_index")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
