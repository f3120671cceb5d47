from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .models import User


class UserOutput(serializers.ModelSerializer):
    name = serializers.CharField()
    unit = serializers.CharField(source="unit.name", default=None, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "display_name", "unit", "job_title"]


class MeApi(APIView):
    @extend_schema(responses=UserOutput)
    def get(self, request):
        return Response(UserOutput(request.user).data)


class PersonSuggestionOutput(serializers.ModelSerializer):
    """What a logged-in member may learn of another (accounts.selectors): no phone, no birth year."""

    name = serializers.CharField()
    unit = serializers.CharField(source="unit.name", default=None, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "unit"]


class PeopleApi(APIView):
    """Suggestions for the people pickers (invitations, @mentions): logged-in members only."""

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="words of a name, username or unit")],
        responses=PersonSuggestionOutput(many=True),
    )
    def get(self, request):
        people = selectors.people_search(request.user, request.query_params.get("q", ""))
        return Response(PersonSuggestionOutput(people, many=True).data)
