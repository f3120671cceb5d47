from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

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
