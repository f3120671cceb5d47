from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.http import client_ip

from . import selectors, services
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


class StudioListApi(ListAPIView):
    serializer_class = StudioOutput

    def get_queryset(self):
        params = self.request.query_params
        return selectors.studio_directory(
            self.request.user,
            query=params.get("q", "")[:100],
            type=params.get("type", ""),
            level=params.get("level", ""),
        )


class StudioUpdateInput(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    # DRF moves declared fields off the class, so this name does not shadow Serializer.fields.
    fields = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(max_length=30), required=False, max_length=12
    )


class StudioDetailApi(APIView):
    @extend_schema(responses=StudioOutput)
    def get(self, request, pk: int):
        return Response(StudioOutput(selectors.studio_for_viewer(request.user, pk)).data)

    @extend_schema(request=StudioUpdateInput, responses=StudioOutput)
    def patch(self, request, pk: int):
        studio = selectors.studio_for_viewer(request.user, pk)
        payload = StudioUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.studio_update(
            actor=request.user, studio=studio, ip_address=client_ip(request), **payload.validated_data
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
