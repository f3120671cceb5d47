from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="mediafile",
            name="last_chunk_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last chunk at"),
        ),
    ]
