"""API shapes of the showcase."""

from __future__ import annotations

from rest_framework import serializers

from .models import Achievement, Contributor, Inquiry, Patent, TransferCase, TransferListing


class ListingOutput(serializers.ModelSerializer):
    modes = serializers.ListField(child=serializers.CharField(), read_only=True)
    maturity_meaning = serializers.CharField(read_only=True)
    negotiable = serializers.BooleanField(source="is_negotiable", read_only=True)

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
            "is_active",
        ]


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
        listing = getattr(achievement, "listing", None)
        return ListingOutput(listing).data if listing is not None else None


class ContributorOutput(serializers.ModelSerializer):
    class Meta:
        model = Contributor
        fields = ["name", "share"]


class PatentOutput(serializers.ModelSerializer):
    class Meta:
        model = Patent
        fields = ["number", "kind", "status"]


class AchievementDetailOutput(AchievementListOutput):
    contributors = ContributorOutput(many=True, read_only=True)
    patents = PatentOutput(many=True, read_only=True)

    class Meta(AchievementListOutput.Meta):
        fields = [
            *AchievementListOutput.Meta.fields,
            "state",
            "description",
            "benefit_method",
            "other_benefits",
            "contributors",
            "patents",
        ]


class FacetValueOutput(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # DRF pops declared fields
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetOutput(serializers.Serializer):
    name = serializers.CharField()
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
        ]

    def get_case(self, inquiry) -> dict | None:
        case = TransferCase.objects.filter(inquiry=inquiry).first()
        return CaseOutput(case).data if case is not None else None
