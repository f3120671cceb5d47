import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MAIL_STATES = [("pending", "not looked at yet"), ("digest", "waits for the daily digest"), ("done", "mailed, or nothing to mail")]


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_notification_translations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Notifications written before e-mail existed are "done": nobody gets a mail about them.
        migrations.AddField(
            model_name="notification",
            name="mail_state",
            field=models.CharField(choices=MAIL_STATES, default="done", max_length=8, verbose_name="e-mail state"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="mail_state",
            field=models.CharField(
                choices=MAIL_STATES, default="pending", max_length=8, verbose_name="e-mail state"
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("mail_state", "pending")),
                fields=["created_at"],
                name="notification_mail_pending_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("mail_state", "digest")),
                fields=["recipient"],
                name="notification_mail_digest_idx",
            ),
        ),
        migrations.CreateModel(
            name="EmailSettings",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="email_settings",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("zh-hans", "简体中文"), ("en", "English")],
                        default="zh-hans",
                        max_length=10,
                        verbose_name="language of e-mails",
                    ),
                ),
                ("modes", models.JSONField(blank=True, default=dict, verbose_name="e-mail per kind")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            ],
            options={"verbose_name": "e-mail settings", "verbose_name_plural": "e-mail settings"},
        ),
        migrations.CreateModel(
            name="OutgoingMail",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("to_address", models.EmailField(max_length=254, verbose_name="to")),
                ("kinds", models.JSONField(blank=True, default=list, verbose_name="kinds")),
                ("subject", models.CharField(max_length=255, verbose_name="subject")),
                ("text", models.TextField(verbose_name="text")),
                ("html", models.TextField(blank=True, verbose_name="HTML")),
                ("headers", models.JSONField(blank=True, default=dict, verbose_name="headers")),
                ("dedup_key", models.CharField(max_length=200, unique=True, verbose_name="deduplication key")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "to send"),
                            ("sending", "being sent"),
                            ("sent", "sent"),
                            ("failed", "failed"),
                            ("skipped", "skipped"),
                        ],
                        default="pending",
                        max_length=8,
                        verbose_name="state",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("next_attempt_at", models.DateTimeField(blank=True, null=True, verbose_name="next attempt")),
                ("claimed_at", models.DateTimeField(blank=True, null=True, verbose_name="claimed at")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "recipient",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="outgoing_mails",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recipient",
                    ),
                ),
            ],
            options={
                "verbose_name": "outgoing e-mail",
                "verbose_name_plural": "outgoing e-mails",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("state__in", ["pending", "sending"])),
                        fields=["next_attempt_at"],
                        name="outgoing_mail_due_idx",
                    )
                ],
            },
        ),
    ]
