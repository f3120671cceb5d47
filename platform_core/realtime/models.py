"""Stored live events. Whatever is pushed live is first written here (docs/realtime.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    """One stream of events (a room, a challenge board, a user's notifications).

    `head` is the sequence number of the latest event. The row is locked while the next number is
    allocated, so two writers in one topic can never get the same seq or skip one.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    head = models.PositiveBigIntegerField(_("latest sequence"), default=0)

    class Meta:
        verbose_name = _("live channel")
        verbose_name_plural = _("live channels")

    def __str__(self) -> str:
        return f"{self.name} @ {self.head}"


class Event(models.Model):
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField(_("sequence"))
    name = models.CharField(_("event"), max_length=60)
    data = models.JSONField(_("data"), default=dict)
    # Users whose access to the topic ends with this event (a member removed from a studio). Every
    # delivery path (live, replay, gap fill) meets events in seq order, so each of those users
    # gets everything before this event and nothing from it on, even if a live message is lost.
    revoke = models.JSONField(_("access ends for"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("live event")
        verbose_name_plural = _("live events")
        ordering = ["topic", "seq"]
        constraints = [models.UniqueConstraint(fields=["topic", "seq"], name="event_topic_seq_unique")]

    def __str__(self) -> str:
        return f"{self.topic.name}#{self.seq} {self.name}"
