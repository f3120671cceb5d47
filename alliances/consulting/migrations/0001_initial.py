import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import alliances.consulting.models
import platform_core.private_storage


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0004_committees"),
        ("alliances", "0005_field_of_work"),
        ("orgs", "0003_importjob"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Consultation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("body", models.TextField(verbose_name="question")),
                ("body_html", models.TextField(editable=False, verbose_name="rendered question")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Waiting for an expert"),
                            ("escalated", "With the committee's chair"),
                            ("taken", "In discussion"),
                            ("closed", "Answered"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="open",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("answer", models.TextField(blank=True, verbose_name="answer")),
                ("answer_html", models.TextField(blank=True, editable=False, verbose_name="rendered answer")),
                ("rating", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="rating")),
                ("rating_comment", models.TextField(blank=True, verbose_name="comment on the answer")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="asked at")),
                ("taken_at", models.DateTimeField(blank=True, null=True, verbose_name="taken at")),
                ("escalated_at", models.DateTimeField(blank=True, null=True, verbose_name="sent to the chair at")),
                ("answered_at", models.DateTimeField(blank=True, null=True, verbose_name="answered at")),
                ("rated_at", models.DateTimeField(blank=True, null=True, verbose_name="rated at")),
                (
                    "asker",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="consultations_asked",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="asked by",
                    ),
                ),
                (
                    "committee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="consultations",
                        to="accounts.committee",
                        verbose_name="committee",
                    ),
                ),
                (
                    "expert",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="consultations_taken",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="expert",
                    ),
                ),
                (
                    "fields",
                    models.ManyToManyField(
                        blank=True,
                        related_name="consultations",
                        to="alliances.fieldofwork",
                        verbose_name="fields of work",
                    ),
                ),
                (
                    "room",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="consultation",
                        to="alliances.room",
                        verbose_name="thread",
                    ),
                ),
                (
                    "studio",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="consultations",
                        to="orgs.studio",
                        verbose_name="on behalf of",
                    ),
                ),
            ],
            options={
                "verbose_name": "consultation",
                "verbose_name_plural": "consultations",
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["status", "created_at"], name="consultation_status_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("rating__isnull", True), models.Q(("rating__gte", 1), ("rating__lte", 5)), _connector="OR"
                        ),
                        name="consultation_rating_1_to_5",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status__in", ["taken", "closed"]), _negated=True),
                            ("expert__isnull", False),
                            _connector="OR",
                        ),
                        name="consultation_taken_has_expert",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ConsultationFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "file",
                    models.FileField(
                        storage=platform_core.private_storage.private_storage,
                        upload_to=alliances.consulting.models.consultation_file_path,
                        verbose_name="file",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("size", models.PositiveBigIntegerField(default=0, verbose_name="size")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded at")),
                (
                    "consultation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="files",
                        to="consulting.consultation",
                        verbose_name="consultation",
                    ),
                ),
            ],
            options={
                "verbose_name": "consultation file",
                "verbose_name_plural": "consultation files",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="QAEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("question_html", models.TextField(verbose_name="question")),
                ("answer_html", models.TextField(verbose_name="answer")),
                ("question_text", models.TextField(editable=False, verbose_name="question text")),
                ("answer_text", models.TextField(editable=False, verbose_name="answer text")),
                ("asker_name", models.CharField(blank=True, max_length=150, verbose_name="asked by")),
                ("expert_name", models.CharField(blank=True, max_length=150, verbose_name="answered by")),
                ("published_at", models.DateTimeField(auto_now_add=True, verbose_name="published at")),
                ("search_grams", models.TextField(blank=True, editable=False)),
                (
                    "committee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="qa_entries",
                        to="accounts.committee",
                        verbose_name="committee",
                    ),
                ),
                (
                    "consultation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="qa_entry",
                        to="consulting.consultation",
                        verbose_name="consultation",
                    ),
                ),
                (
                    "fields",
                    models.ManyToManyField(
                        blank=True,
                        related_name="qa_entries",
                        to="alliances.fieldofwork",
                        verbose_name="fields of work",
                    ),
                ),
            ],
            options={
                "verbose_name": "public Q&A entry",
                "verbose_name_plural": "public Q&A entries",
                "ordering": ["-published_at", "-pk"],
            },
        ),
    ]
