from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.api import query_flag

from . import selectors, services
from .kinds import EmailMode
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


class KindSettingOutput(serializers.Serializer):
    kind = serializers.CharField(source="kind.key")
    # A field named like Field.label: DRF's metaclass takes it as a field, mypy sees the attribute.
    label = serializers.CharField(source="kind.label")  # type: ignore[assignment]
    group = serializers.CharField(source="kind.group")
    mode = serializers.ChoiceField(choices=EmailMode.choices)
    default_mode = serializers.ChoiceField(choices=EmailMode.choices, source="kind.default_email_mode")


class EmailPreferencesOutput(serializers.Serializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    has_address = serializers.BooleanField(
        help_text="Without an e-mail address on the profile, nothing is mailed."
    )
    kinds = KindSettingOutput(many=True, source="settings")


class EmailPreferencesInput(serializers.Serializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    modes = serializers.DictField(
        child=serializers.ChoiceField(choices=EmailMode.choices),
        required=False,
        help_text='{kind: mode} for the kinds to change ("other": every kind not listed).',
    )


class EmailPreferencesApi(APIView):
    """The asker's own e-mail settings: which notifications also go by e-mail, and how."""

    @extend_schema(responses=EmailPreferencesOutput)
    def get(self, request):
        return Response(EmailPreferencesOutput(selectors.email_preferences_for(request.user)).data)

    @extend_schema(request=EmailPreferencesInput, responses=EmailPreferencesOutput)
    def patch(self, request):
        payload = EmailPreferencesInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.email_settings_update(
            user=request.user,
            modes=payload.validated_data.get("modes"),
            language=payload.validated_data.get("language"),
        )
        return Response(EmailPreferencesOutput(selectors.email_preferences_for(request.user)).data)
