from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.http import client_ip

from . import selectors, services, union
from .figures import studio_domain_figures
from .models import Studio, StudioMembership, Unit


class UnitOutput(serializers.ModelSerializer):
    group = serializers.CharField(source="parent.name", default=None, allow_null=True)
    coverage_required = serializers.BooleanField()

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "kind",
            "group",
            "industry",
            "region",
            "headcount",
            "has_union_committee",
            "coverage_required",
        ]


class MemberOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="user.name")
    unit = serializers.CharField(source="user.unit", default=None, allow_null=True)

    class Meta:
        model = StudioMembership
        fields = ["user_id", "name", "unit", "role", "joined_on"]


class StudioOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    leader = serializers.CharField(source="leader.name")
    member_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = Studio
        fields = [
            "id",
            "name",
            "unit",
            "type",
            "level",
            "leader",
            "status",
            "founded_on",
            "fields",
            "description",
            "member_count",
        ]


class UnitListApi(ListAPIView):
    serializer_class = UnitOutput
    queryset = Unit.objects.select_related("parent").order_by("name")


class UnitDetailApi(RetrieveAPIView):
    serializer_class = UnitOutput
    queryset = Unit.objects.select_related("parent")


class StudioCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    unit_id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=Studio.Type.choices)
    level = serializers.ChoiceField(choices=Studio.Level.choices, default=Studio.Level.GRASSROOTS)
    leader_id = serializers.IntegerField()
    founded_on = serializers.DateField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    # DRF moves declared fields off the class, so this name does not shadow Serializer.fields.
    fields = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(max_length=30), required=False, max_length=12, default=list
    )


class StudioListApi(ListAPIView):
    """GET pages the studio directory; POST names a studio (the union admins over its unit)."""

    serializer_class = StudioOutput

    def get_queryset(self):
        params = self.request.query_params
        return selectors.studio_directory(
            self.request.user,
            query=params.get("q", "")[:100],
            type=params.get("type", ""),
            level=params.get("level", ""),
        )

    @extend_schema(request=StudioCreateInput, responses={201: StudioOutput})
    def post(self, request):
        payload = StudioCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        studio = services.studio_create(
            actor=request.user,
            studio=Studio(
                name=data["name"],
                unit=get_object_or_404(Unit, pk=data["unit_id"]),
                type=data["type"],
                level=data["level"],
                leader=get_object_or_404(get_user_model(), pk=data["leader_id"]),
                founded_on=data["founded_on"],
                description=data["description"],
                fields=data["fields"],
            ),
            ip_address=client_ip(request),
        )
        shown = selectors.studio_for_viewer(request.user, studio.pk)
        return Response(StudioOutput(shown).data, status=status.HTTP_201_CREATED)


class StudioUpdateInput(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    # DRF moves declared fields off the class, so this name does not shadow Serializer.fields.
    fields = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(max_length=30), required=False, max_length=12
    )
    # The union's acts (studio_administer): the admins over the studio's unit.
    name = serializers.CharField(required=False, max_length=120)
    leader_id = serializers.IntegerField(required=False)
    unit_id = serializers.IntegerField(required=False)
    type = serializers.ChoiceField(choices=Studio.Type.choices, required=False)
    level = serializers.ChoiceField(choices=Studio.Level.choices, required=False)


ADMINISTERED = ("name", "leader_id", "unit_id", "type", "level")


class StudioDetailOutput(StudioOutput):
    # What the domains know of it (the registry of figures.py), as the studio page shows it.
    figures = serializers.SerializerMethodField()

    class Meta(StudioOutput.Meta):
        fields = [*StudioOutput.Meta.fields, "figures"]

    def get_figures(self, studio: Studio) -> dict[str, float]:
        values = studio_domain_figures([studio.pk])[studio.pk]
        return {key: float(value) if isinstance(value, Decimal) else value for key, value in values.items()}


class StudioDetailApi(APIView):
    @extend_schema(responses=StudioDetailOutput)
    def get(self, request, pk: int):
        return Response(StudioDetailOutput(selectors.studio_for_viewer(request.user, pk)).data)

    @extend_schema(request=StudioUpdateInput, responses=StudioOutput)
    def patch(self, request, pk: int):
        studio = selectors.studio_for_viewer(request.user, pk)
        payload = StudioUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        acts = {key: data.pop(key) for key in ADMINISTERED if key in data}
        with transaction.atomic():
            if acts:
                services.studio_administer(
                    actor=request.user,
                    studio=studio,
                    name=acts.get("name"),
                    leader=get_object_or_404(get_user_model(), pk=acts["leader_id"])
                    if "leader_id" in acts
                    else None,
                    unit=get_object_or_404(Unit, pk=acts["unit_id"]) if "unit_id" in acts else None,
                    type=acts.get("type"),
                    level=acts.get("level"),
                    ip_address=client_ip(request),
                )
                studio = selectors.studio_for_viewer(request.user, pk)
            if data:
                services.studio_update(
                    actor=request.user, studio=studio, ip_address=client_ip(request), **data
                )
        return Response(StudioOutput(selectors.studio_for_viewer(request.user, pk)).data)


class MemberAddInput(serializers.Serializer):
    user_id = serializers.IntegerField()
    role = serializers.ChoiceField(
        choices=StudioMembership.Role.choices, default=StudioMembership.Role.MEMBER
    )


class StudioMembersApi(ListAPIView):
    """GET pages the members like every list; POST adds one."""

    serializer_class = MemberOutput

    def get_queryset(self):
        return selectors.studio_members(selectors.studio_for_viewer(self.request.user, self.kwargs["pk"]))

    @extend_schema(request=MemberAddInput, responses={201: MemberOutput})
    def post(self, request, pk: int):
        studio = selectors.studio_for_viewer(request.user, pk)
        payload = MemberAddInput(data=request.data)
        payload.is_valid(raise_exception=True)
        user = get_object_or_404(get_user_model(), pk=payload.validated_data["user_id"])
        membership = services.studio_member_add(
            actor=request.user,
            studio=studio,
            user=user,
            role=payload.validated_data["role"],
            ip_address=client_ip(request),
        )
        return Response(MemberOutput(membership).data, status=status.HTTP_201_CREATED)


class StudioMemberApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int, user_id: int):
        studio = selectors.studio_for_viewer(request.user, pk)
        user = get_object_or_404(get_user_model(), pk=user_id)
        services.studio_member_remove(
            actor=request.user, studio=studio, user=user, ip_address=client_ip(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# The union's figures over its scope ---------------------------------------------------------


class CoverageRowOutput(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, moved off the class by DRF
    required = serializers.IntegerField()  # type: ignore[assignment]  # a declared field, moved off the class by DRF
    covered = serializers.IntegerField()
    missing = serializers.IntegerField()
    percent = serializers.FloatField()


class GapOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    group = serializers.CharField()
    region = serializers.CharField()
    headcount = serializers.IntegerField()


class CoverageOutput(serializers.Serializer):
    total = CoverageRowOutput()
    by_group = CoverageRowOutput(many=True)
    by_region = CoverageRowOutput(many=True)
    gaps = GapOutput(many=True)


class CoverageApi(APIView):
    """Units with their own union committee and 300+ staff, and which have an active studio, in
    the caller's scope (union admins only)."""

    @extend_schema(responses=CoverageOutput)
    def get(self, request):
        return Response(CoverageOutput(union.coverage_report(request.user)).data)


class FigureOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, moved off the class by DRF
    unit = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False)


class SeriesOutput(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, moved off the class by DRF
    values = serializers.ListField(child=serializers.IntegerField())


class DashboardOutput(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField())
    by_level = SeriesOutput(many=True)
    by_type = SeriesOutput(many=True)
    active_studios = serializers.IntegerField()
    delisted_studios = serializers.IntegerField()
    figures = serializers.DictField(child=FigureOutput(many=True))
    coverage = CoverageOutput()


class DashboardApi(APIView):
    """The union dashboard's figures for the caller's scope (union admins only)."""

    @extend_schema(responses=DashboardOutput)
    def get(self, request):
        return Response(DashboardOutput(union.dashboard(request.user)).data)
