from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.api import query_flag

from . import selectors, services
from .models import Notification


class NotificationOutput(serializers.ModelSerializer):
    read = serializers.BooleanField(source="is_read")
    # In the request's language (Accept-Language), else the platform's.
    title = serializers.CharField(source="shown_title")
    body = serializers.CharField(source="shown_body")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "read", "read_at", "created_at"]


class NotificationListApi(ListAPIView):
    serializer_class = NotificationOutput

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="only unread ones")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        notifications = selectors.notifications_for(self.request.user)
        if query_flag(self.request, "unread"):
            notifications = notifications.filter(read_at__isnull=True)
        return notifications


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses=NotificationOutput)
    def post(self, request, pk: int):
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
        return Response(NotificationOutput(notification).data)


class NotificationReadAllApi(APIView):
    @extend_schema(
        request=None,
        responses=inline_serializer(
            "ReadAll", {"marked": serializers.IntegerField(), "unread": serializers.IntegerField()}
        ),
    )
    def post(self, request):
        marked = services.notification_mark_all_read(user=request.user)
        return Response({"marked": marked, "unread": 0})
