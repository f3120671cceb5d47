"""API shapes of the showcase."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import format_lazy
from rest_framework import serializers

from platform_core.uploads import ACHIEVEMENT_FILE, ACHIEVEMENT_IMAGE, help_text_lazy

from .models import (
    Achievement,
    AchievementFile,
    Award,
    Contributor,
    Inquiry,
    Patent,
    Round,
    TransferCase,
    TransferListing,
)
from .selectors import public_listing


class ListingOutput(serializers.ModelSerializer):
    modes = serializers.ListField(child=serializers.CharField(), read_only=True)
    maturity_meaning = serializers.CharField(read_only=True)
    negotiable = serializers.BooleanField(source="is_negotiable", read_only=True)
    contact_visible = serializers.SerializerMethodField(
        help_text="whether contact_phone and contact_email are shown to this viewer (blank otherwise)"
    )

    class Meta:
        model = TransferListing
        fields = [
            "maturity",
            "maturity_meaning",
            "modes",
            "price",
            "negotiable",
            "regions",
            "industries",
            "contact_name",
            "contact_phone",
            "contact_email",
            "contact_visible",
            "is_active",
        ]

    def get_contact_visible(self, listing) -> bool:
        # A listing read through showcase.selectors.listing_for says; a stored row is the owner's.
        return bool(getattr(listing, "contact_visible", True))


class AchievementListOutput(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.__str__", read_only=True)
    unit = serializers.CharField(source="unit.name", read_only=True)
    fields = serializers.SerializerMethodField(method_name="tag_names")  # type: ignore[assignment]
    listing = serializers.SerializerMethodField()

    class Meta:
        model = Achievement
        fields = [
            "id",
            "title",
            "summary",
            "type",
            "owner",
            "unit",
            "fields",
            "economic_benefit",
            "award",
            "has_patent",
            "published_at",
            "listing",
        ]

    def tag_names(self, achievement) -> list[str]:
        return [tag.name for tag in achievement.fields.all()]

    def get_listing(self, achievement) -> dict | None:
        # The public list never shows the contact details (showcase.permissions).
        listing = public_listing(getattr(achievement, "listing", None))
        return ListingOutput(listing).data if listing is not None else None


class ContributorOutput(serializers.ModelSerializer):
    class Meta:
        model = Contributor
        fields = ["name", "share"]


class PatentOutput(serializers.ModelSerializer):
    class Meta:
        model = Patent
        fields = ["number", "kind", "status"]


# An image or an attachment, as `kind` says: each with its own types and limit.
ACHIEVEMENT_FILES_HELP = format_lazy(
    "{} {}", help_text_lazy(ACHIEVEMENT_IMAGE), help_text_lazy(ACHIEVEMENT_FILE)
)


class AchievementFileInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AchievementFile.Kind.choices)
    file = serializers.FileField(help_text=ACHIEVEMENT_FILES_HELP)


class AchievementFileOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="the access-checked download")

    class Meta:
        model = AchievementFile
        fields = ["id", "kind", "name", "size", "uploaded_at", "url"]

    def get_url(self, stored) -> str:
        return reverse("api-achievement-file", args=[stored.achievement_id, stored.pk])


class AchievementDetailOutput(AchievementListOutput):
    contributors = ContributorOutput(many=True, read_only=True)
    patents = PatentOutput(many=True, read_only=True)
    files = AchievementFileOutput(many=True, read_only=True)

    class Meta(AchievementListOutput.Meta):
        fields = [
            *AchievementListOutput.Meta.fields,
            "state",
            "description",
            "benefit_method",
            "other_benefits",
            "contributors",
            "patents",
            "files",
            "state_reason",
        ]

    state_reason = serializers.SerializerMethodField(
        help_text="why it was last sent back or withdrawn, while it is not published"
    )

    def get_state_reason(self, achievement) -> str:
        # As its page: the reason shows while the achievement is out of the showcase.
        return "" if achievement.is_published else achievement.state_reason

    def get_listing(self, achievement) -> dict | None:
        # The listing as this viewer may see it (selectors.listing_for), put in the context by
        # the view; without it, the public shape.
        if "listing" not in self.context:
            return super().get_listing(achievement)
        listing = self.context["listing"]
        return ListingOutput(listing).data if listing is not None else None


class FacetValueOutput(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # DRF pops declared fields
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetOutput(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField(help_text="the facet's heading in the request's language")
    values = FacetValueOutput(many=True)


class InquiryInput(serializers.Serializer):
    mode = serializers.ChoiceField(choices=TransferListing.Mode.choices)
    message = serializers.CharField(max_length=4000)
    organisation = serializers.CharField(max_length=120, required=False, allow_blank=True)


class InquiryStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Inquiry.Status.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class CaseInput(serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    concluded_on = serializers.DateField()
    mode = serializers.ChoiceField(choices=TransferListing.Mode.choices, required=False)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class CaseOutput(serializers.ModelSerializer):
    class Meta:
        model = TransferCase
        fields = ["mode", "value", "concluded_on", "note"]


class InquiryOutput(serializers.ModelSerializer):
    achievement = serializers.IntegerField(source="listing.achievement_id", read_only=True)
    achievement_title = serializers.CharField(source="listing.achievement.title", read_only=True)
    inquirer = serializers.CharField(source="inquirer.__str__", read_only=True)
    case = serializers.SerializerMethodField()

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "achievement",
            "achievement_title",
            "inquirer",
            "organisation",
            "mode",
            "message",
            "status",
            "status_note",
            "created_at",
            "updated_at",
            "case",
            # The negotiation room: its messages are at /api/v1/rooms/<room>/messages/.
            "room",
        ]

    def get_case(self, inquiry) -> dict | None:
        case = TransferCase.objects.filter(inquiry=inquiry).first()
        return CaseOutput(case).data if case is not None else None


class ContributorInput(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    share = serializers.DecimalField(max_digits=5, decimal_places=2)


class PatentInput(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=Patent.Kind.choices)
    status = serializers.ChoiceField(choices=Patent.Status.choices)


class AchievementInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=500)
    description = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    type = serializers.ChoiceField(choices=Achievement.Type.choices)
    fields = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(max_length=30), max_length=8, required=False
    )
    contributors = ContributorInput(many=True)
    patents = PatentInput(many=True, required=False)
    economic_benefit = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    benefit_method = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    other_benefits = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class AchievementCreateInput(AchievementInput):
    studio_id = serializers.IntegerField(required=False)
    team_id = serializers.IntegerField(required=False)
    outcome_id = serializers.IntegerField(required=False, help_text="an accepted challenge's outcome")


class AchievementReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class ListingInput(serializers.Serializer):
    maturity = serializers.IntegerField(min_value=1, max_value=9)
    modes = serializers.ListField(
        child=serializers.ChoiceField(choices=TransferListing.Mode.choices), min_length=1
    )
    price = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    regions = serializers.CharField(max_length=200, required=False, allow_blank=True)
    industries = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=60)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False, default=True)


class CriterionInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    weight = serializers.IntegerField(min_value=1, max_value=100)


class RoundInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Round.Kind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    criteria = CriterionInput(many=True)
    expert_ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=50)


class RoundOutput(serializers.ModelSerializer):
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "status",
            "starts_on",
            "ends_on",
            "published_at",
            "criteria",
        ]

    def get_criteria(self, round) -> list[dict]:
        return [{"id": c.pk, "name": c.name, "weight": c.weight} for c in round.criteria.all()]


class RankedEntryOutput(serializers.Serializer):
    entry_id = serializers.IntegerField(source="entry.pk")
    achievement_id = serializers.IntegerField(source="entry.achievement_id")
    title = serializers.CharField(source="entry.achievement.title")
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    scored_by = serializers.IntegerField()
    result = serializers.CharField(source="entry.result")


class PanelExpertOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")


class RoundDetailOutput(RoundOutput):
    ranking = serializers.SerializerMethodField()
    panel = serializers.SerializerMethodField(help_text="the experts: for whoever runs the round, else null")

    class Meta(RoundOutput.Meta):
        fields = [*RoundOutput.Meta.fields, "ranking", "panel"]

    def get_ranking(self, round) -> list:
        return list(RankedEntryOutput(self.context.get("ranking", []), many=True).data)

    def get_panel(self, round) -> list | None:
        panel = self.context.get("panel")
        return None if panel is None else list(PanelExpertOutput(panel, many=True).data)


class IdInput(serializers.Serializer):
    id = serializers.IntegerField()


class ScoreRowInput(serializers.Serializer):
    criterion = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=5, decimal_places=2)
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class RoundScoresInput(serializers.Serializer):
    entry_id = serializers.IntegerField()
    scores = ScoreRowInput(many=True)


class ResultsInput(serializers.Serializer):
    results = serializers.DictField(
        child=serializers.ChoiceField(choices=[("", "none"), *Award.choices], allow_blank=True),
        help_text="entry id → award; omitted entries get none",
    )
