"""The REST side of the realtime protocol: what a client reloads after a `resync` frame."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .registry import TopicError, TopicForbidden, TopicNotFound, authorize_subscription

MAX_PAGE = 500


class EventsQuery(serializers.Serializer):
    topic = serializers.CharField(max_length=100)
    since = serializers.IntegerField(min_value=0, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=100)


class EventOutput(serializers.Serializer):
    seq = serializers.IntegerField()
    event = serializers.CharField(source="name")
    # DRF moves declared fields off the class, so this name does not shadow Serializer.data.
    data = serializers.JSONField()  # type: ignore[assignment]
    created_at = serializers.DateTimeField()


class TopicEventsApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("topic", str, required=True),
            OpenApiParameter("since", int),
            OpenApiParameter("limit", int),
        ],
        responses=inline_serializer(
            "TopicEvents",
            {
                "topic": serializers.CharField(),
                "head": serializers.IntegerField(),
                "events": EventOutput(many=True),
                "more": serializers.BooleanField(),
            },
        ),
    )
    def get(self, request):
        query = EventsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        topic = query.validated_data["topic"]
        try:
            authorize_subscription(request.user, topic)
        except TopicForbidden as error:
            raise exceptions.PermissionDenied(str(error)) from error
        except TopicNotFound as error:
            raise exceptions.NotFound(str(error)) from error
        except TopicError as error:
            raise exceptions.ValidationError({"topic": [str(error)]}) from error
        limit = query.validated_data["limit"]
        head = selectors.topic_head(topic)
        events = selectors.events_after(topic, query.validated_data["since"], limit=limit)
        more = bool(events) and events[-1].seq < head
        return Response(
            {"topic": topic, "head": head, "events": EventOutput(events, many=True).data, "more": more}
        )
