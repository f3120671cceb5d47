"""The API's shapes of consultations, committees and public Q&A."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from platform_core.accounts.models import Committee
from platform_core.uploads import CONSULTATION_FILE

from .models import Consultation, ConsultationFile, QAEntry


class AskInput(serializers.Serializer):
    committee = serializers.SlugField(max_length=30, help_text="the committee's code")
    studio_id = serializers.IntegerField(
        required=False, help_text="ask on behalf of this studio (its leader)"
    )
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=10_000, help_text="Markdown")
    work_fields = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, max_length=8, help_text="fields of work"
    )
    file = serializers.FileField(required=False, help_text=CONSULTATION_FILE.help_text())


class AssignInput(serializers.Serializer):
    expert_id = serializers.IntegerField()


class ConsultationAnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=20_000, help_text="Markdown")


class RateInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class PublishInput(serializers.Serializer):
    hide_name = serializers.BooleanField(required=False, default=False)


class ConsultingPersonOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class FileOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="the access-checked download")

    class Meta:
        model = ConsultationFile
        fields = ["id", "name", "size", "uploaded_at", "url"]

    def get_url(self, stored) -> str:
        return reverse("consulting:file", args=[stored.consultation_id, stored.pk])


class ConsultationListOutput(serializers.ModelSerializer):
    committee = serializers.CharField(source="committee.code")
    asker = ConsultingPersonOutput()
    studio_id = serializers.IntegerField(allow_null=True)
    expert = ConsultingPersonOutput(allow_null=True)
    work_fields = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "committee",
            "title",
            "status",
            "asker",
            "studio_id",
            "expert",
            "work_fields",
            "created_at",
        ]

    def get_work_fields(self, consultation) -> list[str]:
        return [field.name for field in consultation.fields.all()]


class ConsultationOutput(ConsultationListOutput):
    flags = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    assign_choices = serializers.SerializerMethodField()
    qa_entry = serializers.SerializerMethodField()

    class Meta(ConsultationListOutput.Meta):
        fields = [
            *ConsultationListOutput.Meta.fields,
            "body",
            "body_html",
            "answer",
            "answer_html",
            "rating",
            "rating_comment",
            "taken_at",
            "escalated_at",
            "answered_at",
            # The private thread: its messages are at /api/v1/rooms/<room>/messages/ (members only).
            "room",
            "flags",
            "files",
            "assign_choices",
            "qa_entry",
        ]

    """A consultation as `context["viewer"]` (selectors.ConsultationForViewer) gets it."""

    def get_flags(self, consultation) -> dict[str, bool]:
        return dict(vars(self.context["viewer"].access))

    def get_files(self, consultation) -> list[dict]:
        return list(FileOutput(self.context["viewer"].files, many=True).data)

    def get_assign_choices(self, consultation) -> list[dict]:
        return list(ConsultingPersonOutput(self.context["viewer"].assign_choices, many=True).data)

    def get_qa_entry(self, consultation) -> int | None:
        entry = getattr(consultation, "qa_entry", None)
        return entry.pk if entry else None


class CommitteeOutput(serializers.ModelSerializer):
    chair = ConsultingPersonOutput(allow_null=True)
    expert_count = serializers.IntegerField()

    class Meta:
        model = Committee
        fields = ["code", "name", "description", "chair", "escalate_after_hours", "expert_count"]


class CommitteeDetailOutput(CommitteeOutput):
    experts = ConsultingPersonOutput(many=True)

    class Meta(CommitteeOutput.Meta):
        fields = [*CommitteeOutput.Meta.fields, "experts"]


class QAOutput(serializers.ModelSerializer):
    committee = serializers.CharField(source="committee.code")
    work_fields = serializers.SerializerMethodField()

    class Meta:
        model = QAEntry
        fields = [
            "id",
            "committee",
            "title",
            "question_html",
            "answer_html",
            "asker_name",
            "expert_name",
            "work_fields",
            "published_at",
        ]

    def get_work_fields(self, entry) -> list[str]:
        return [field.name for field in entry.fields.all()]
