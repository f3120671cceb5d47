"""The audit trail is append-only: in code, in the database API and in the Django admin."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import Client, RequestFactory

from platform_core.audit.labels import action_label, register_action_labels
from platform_core.audit.models import AuditEntry
from platform_core.audit.services import audit_record


@pytest.fixture
def entry(cast):
    return audit_record(
        actor=cast.admin,
        action="studio.delisted",
        target=cast.studio1,
        ip_address="10.9.8.7",
        data={"reason": "复评未通过"},
    )


def unchanged(entry: AuditEntry) -> bool:
    fresh = AuditEntry.objects.get(pk=entry.pk)
    return (fresh.action, fresh.data, fresh.actor_id) == (
        "studio.delisted",
        {"reason": "复评未通过"},
        entry.actor_id,
    )


def test_audit_record_stores_who_what_which_and_where(cast, entry):
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == cast.admin
    assert stored.action == "studio.delisted"
    assert stored.target_type == "orgs.studio"
    assert stored.target_id == str(cast.studio1.pk)
    assert stored.target_repr == "一号工作室"
    assert stored.ip_address == "10.9.8.7"
    assert stored.data == {"reason": "复评未通过"}
    assert stored.created_at is not None


def test_audit_record_of_an_anonymous_actor_has_no_actor(cast):
    stored = audit_record(actor=AnonymousUser(), action="x.y", target=cast.unit_a, ip_address="")
    assert stored.actor is None
    assert stored.ip_address is None
    assert stored.target_type == "orgs.unit"


def test_audit_record_serialises_dates_in_its_data(cast):
    stored = audit_record(
        actor=cast.admin, action="x.y", target=cast.studio1, data={"on": datetime.date(2025, 3, 1)}
    )
    assert AuditEntry.objects.get(pk=stored.pk).data == {"on": "2025-03-01"}


def test_audit_record_cuts_a_long_target_description(cast):
    cast.studio1.name = "长" * 250  # in memory only: what matters is the str() of the target
    stored = audit_record(actor=cast.admin, action="x.y", target=cast.studio1)
    assert AuditEntry.objects.get(pk=stored.pk).target_repr == "长" * 200


def test_saving_an_existing_entry_is_refused(entry):
    entry.action = "studio.reinstated"
    with pytest.raises(PermissionError):
        entry.save()
    assert unchanged(entry)


def test_saving_a_copy_with_an_existing_primary_key_is_refused(cast, entry):
    forged = AuditEntry(pk=entry.pk, actor=cast.leader1, action="forged", target_type="x", target_id="1")
    with pytest.raises(PermissionError):
        forged.save()
    assert unchanged(entry)


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_is_refused(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(ip_address=None)
    assert unchanged(entry)


def test_queryset_delete_is_refused(entry):
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == before


def test_bulk_update_is_refused(entry):
    entry.action = "tampered"
    # bulk_update runs in atomic(savepoint=False): give it a savepoint of its own to fail in.
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert unchanged(entry)


def test_update_or_create_of_an_existing_entry_is_refused(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"action": "tampered"})
    assert unchanged(entry)


def test_the_actor_of_an_entry_cannot_be_deleted(cast, entry):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        cast.admin.delete()
    assert unchanged(entry)


def test_new_entries_can_still_be_added(cast, entry):
    before = AuditEntry.objects.count()
    audit_record(actor=cast.leader1, action="studio.updated", target=cast.studio1)
    assert AuditEntry.objects.count() == before + 1


# --- Django admin -------------------------------------------------------------------------------


def model_admin():
    return admin.site._registry[AuditEntry]


def test_admin_grants_no_add_change_or_delete_even_to_a_superuser(cast, entry):
    request = RequestFactory().get("/admin/audit/auditentry/")
    request.user = cast.superadmin
    audit_admin = model_admin()
    assert not audit_admin.has_add_permission(request)
    assert not audit_admin.has_change_permission(request)
    assert not audit_admin.has_change_permission(request, entry)
    assert not audit_admin.has_delete_permission(request)
    assert not audit_admin.has_delete_permission(request, entry)
    assert audit_admin.has_view_permission(request, entry)
    assert "delete_selected" not in audit_admin.get_actions(request)


def test_admin_pages_read_but_never_write(cast, entry):
    client = Client()
    client.force_login(cast.superadmin)
    before = AuditEntry.objects.count()
    changelist = client.get("/admin/audit/auditentry/")
    assert changelist.status_code == 200
    assert "一号工作室" in changelist.content.decode()
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.post("/admin/audit/auditentry/add/", {"action": "forged"}).status_code == 403
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"action": "tampered"}).status_code == 403
    )
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(
        "/admin/audit/auditentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in {200, 302, 403}
    assert unchanged(entry)
    assert AuditEntry.objects.count() == before


# --- labels: each app registers its own in events.py --------------------------------------------


def test_every_action_the_services_record_has_a_label():
    from challenges import events as challenge_events
    from platform_core.accounts import events as account_events
    from platform_core.orgs import events as org_events

    actions = [
        account_events.PROFILE_UPDATED,
        org_events.STUDIO_CREATED,
        org_events.STUDIO_UPDATED,
        org_events.STUDIO_DELISTED,
        org_events.STUDIO_REINSTATED,
        org_events.MEMBER_ADDED,
        org_events.MEMBER_REMOVED,
        *challenge_events.TRANSITION_AUDIT_ACTIONS.values(),
        *_audit_actions_named_in_challenge_services(),
    ]
    assert [action for action in actions if action_label(action) == action] == []


def _audit_actions_named_in_challenge_services() -> set[str]:
    """Every `action=events.NAME` the challenge services pass to audit_record, resolved."""
    import pathlib
    import re

    import challenges
    from challenges import events as challenge_events

    services = pathlib.Path(challenges.__file__).parent / "services"
    names = {
        name
        for path in services.glob("*.py")
        for name in re.findall(r"action=events\.([A-Z_]+)\b(?!\[)", path.read_text())
    }
    assert len(names) > 20
    return {getattr(challenge_events, name) for name in names}


def test_the_challenge_services_spell_no_audit_action_as_a_literal():
    import pathlib
    import re

    import challenges

    services = pathlib.Path(challenges.__file__).parent / "services"
    literal = re.compile(r"audit_record\([^)]*action=f?[\"']", re.S)
    assert [path.name for path in services.glob("*.py") if literal.search(path.read_text())] == []


def test_sealed_actions_are_hidden_from_a_history_page_unless_superuser(cast):
    from challenges import events as challenge_events
    from platform_core.audit.selectors import audit_trail_of

    audit_record(actor=cast.leader1, action=challenge_events.BID_SUBMITTED, target=cast.studio1)
    audit_record(actor=cast.admin, action="studio.updated", target=cast.studio1)
    seen_by_admin = {e.action for e in audit_trail_of(cast.studio1, viewer=cast.admin)}
    seen_by_superuser = {e.action for e in audit_trail_of(cast.studio1, viewer=cast.superadmin)}
    assert "studio.updated" in seen_by_admin
    assert challenge_events.BID_SUBMITTED not in seen_by_admin
    assert seen_by_superuser == seen_by_admin | {challenge_events.BID_SUBMITTED}


def test_an_unregistered_action_shows_as_its_code():
    assert action_label("nobody.registered_this") == "nobody.registered_this"


def test_registering_an_action_twice_is_refused():
    from platform_core.orgs import events as org_events

    with pytest.raises(ImproperlyConfigured):
        register_action_labels({org_events.MEMBER_ADDED: "again"})
    assert action_label(org_events.MEMBER_ADDED) != "again"
