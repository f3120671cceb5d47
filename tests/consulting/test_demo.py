"""The demo's consultations: the five committees with seats and a chair, one question waiting for
the technical committee from leader1, one answered and published as public Q&A; idempotent."""

from __future__ import annotations

from alliances.consulting.models import Consultation, QAEntry
from platform_core.accounts.models import Committee, CommitteeSeat
from platform_core.demo import seed_demo


def test_the_demo_consultations_are_there_and_the_demo_runs_twice(db):
    seed_demo()
    assert list(Committee.objects.values_list("code", flat=True)) == [
        "advisory",
        "technical",
        "policy",
        "guidance",
        "ip",
    ]
    assert CommitteeSeat.objects.filter(committee__code="technical", user__username="expert1").exists()
    assert Committee.objects.get(code="technical").chair.username == "expert2"
    waiting = Consultation.objects.get(status=Consultation.Status.OPEN)
    assert (waiting.asker.username, waiting.committee.code) == ("leader1", "technical")
    entry = QAEntry.objects.get()
    assert entry.asker_name == "" and entry.consultation.rating == 5
    counts = (Consultation.objects.count(), QAEntry.objects.count(), CommitteeSeat.objects.count())
    seed_demo()
    assert (Consultation.objects.count(), QAEntry.objects.count(), CommitteeSeat.objects.count()) == counts
