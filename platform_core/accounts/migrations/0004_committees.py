# Committees become records (issue 17): the five standard committees, and a seat for every
# expert on their home committee (ExpertProfile.committee, which stays as the home committee).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STANDARD_COMMITTEES = (
    ("advisory", "专家咨询委员会"),
    ("technical", "专业技术委员会"),
    ("policy", "政策咨询委员会"),
    ("guidance", "技术指导委员会"),
    ("ip", "知识产权保护委员会"),
)


def committees_from_profiles(apps, schema_editor):
    Committee = apps.get_model("accounts", "Committee")
    CommitteeSeat = apps.get_model("accounts", "CommitteeSeat")
    ExpertProfile = apps.get_model("accounts", "ExpertProfile")
    by_code = {}
    for code, name in STANDARD_COMMITTEES:
        by_code[code] = Committee.objects.get_or_create(code=code, defaults={"name": name})[0]
    seats = [
        CommitteeSeat(committee=by_code[profile.committee], user_id=profile.user_id)
        for profile in ExpertProfile.objects.all()
        if profile.committee in by_code
    ]
    CommitteeSeat.objects.bulk_create(seats, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_admin_grant_level"),
    ]

    operations = [
        migrations.AlterField(
            model_name="expertprofile",
            name="committee",
            field=models.CharField(
                choices=[
                    ("advisory", "Expert advisory committee"),
                    ("technical", "Professional technical committee"),
                    ("policy", "Policy advice committee"),
                    ("guidance", "Technical guidance committee"),
                    ("ip", "Intellectual property protection committee"),
                ],
                max_length=20,
                verbose_name="committee",
            ),
        ),
        migrations.CreateModel(
            name="Committee",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=30, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=80, verbose_name="name")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                (
                    "escalate_after_hours",
                    models.PositiveSmallIntegerField(default=48, verbose_name="hours before a question goes to the chair"),
                ),
                (
                    "chair",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="chaired_committees",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="chair",
                    ),
                ),
            ],
            options={
                "verbose_name": "expert committee",
                "verbose_name_plural": "expert committees",
                "ordering": ["pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("escalate_after_hours__gte", 1)), name="committee_hours_positive"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CommitteeSeat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("since", models.DateTimeField(auto_now_add=True, verbose_name="since")),
                (
                    "committee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="seats",
                        to="accounts.committee",
                        verbose_name="committee",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="committee_seats",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="expert",
                    ),
                ),
            ],
            options={
                "verbose_name": "committee seat",
                "verbose_name_plural": "committee seats",
                "ordering": ["committee", "pk"],
                "constraints": [models.UniqueConstraint(fields=("committee", "user"), name="committee_seat_unique")],
            },
        ),
        migrations.AddField(
            model_name="committee",
            name="members",
            field=models.ManyToManyField(
                blank=True,
                related_name="committees",
                through="accounts.CommitteeSeat",
                to=settings.AUTH_USER_MODEL,
                verbose_name="members",
            ),
        ),
        migrations.RunPython(committees_from_profiles, migrations.RunPython.noop),
    ]
