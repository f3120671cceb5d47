"""The events of studios, named once: live event names (also the kinds of the notifications they
cause and the actions of the audit trail), their payloads, and the trail's labels for them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platform_core.audit.labels import register_action_labels
from platform_core.notifications.kinds import EmailMode, register

from .models import Studio, StudioMembership

STUDIO_CREATED = "studio.created"
STUDIO_UPDATED = "studio.updated"
STUDIO_DELISTED = "studio.delisted"
STUDIO_REINSTATED = "studio.reinstated"
STUDIO_RENAMED = "studio.renamed"
STUDIO_LEADER_CHANGED = "studio.leader_changed"
STUDIO_MOVED = "studio.moved"
STUDIO_RECLASSIFIED = "studio.reclassified"
MEMBER_ADDED = "studio.member_added"
MEMBER_REMOVED = "studio.member_removed"
# A spreadsheet import (platform_core/orgs/import_jobs.py): the audit action of a file imported,
# and the notifications its importer gets when a check or an import in the background ends.
IMPORT_DONE = "import.done"
IMPORT_CHECKED = "import.checked"
IMPORT_REFUSED = "import.refused"
IMPORT_FAILED = "import.failed"
# The set-password links of imported people, downloaded by their importer.
IMPORT_LINKS = "import.links"

_STUDIOS = _("Studios")
register(STUDIO_CREATED, _("A studio named with me as its leader"), EmailMode.DIGEST, group=_STUDIOS)
register(MEMBER_ADDED, _("Added to a studio"), EmailMode.DIGEST, group=_STUDIOS)
register(MEMBER_REMOVED, _("Removed from a studio"), EmailMode.DIGEST, group=_STUDIOS)
register(STUDIO_LEADER_CHANGED, _("A studio's leader changed"), EmailMode.DIGEST, group=_STUDIOS)
# The importer watches the job's page; the notification is enough.
register(IMPORT_DONE, _("My import done"), EmailMode.OFF, group=_STUDIOS)
register(IMPORT_CHECKED, _("My import checked"), EmailMode.OFF, group=_STUDIOS)
register(IMPORT_REFUSED, _("My import refused"), EmailMode.OFF, group=_STUDIOS)
register(IMPORT_FAILED, _("My import failed"), EmailMode.OFF, group=_STUDIOS)

register_action_labels(
    {
        STUDIO_CREATED: _("Studio named"),
        STUDIO_UPDATED: _("Studio profile edited"),
        STUDIO_DELISTED: _("Studio delisted"),
        STUDIO_REINSTATED: _("Studio reinstated"),
        STUDIO_RENAMED: _("Studio renamed"),
        STUDIO_LEADER_CHANGED: _("Studio leader changed"),
        STUDIO_MOVED: _("Studio moved to another unit"),
        STUDIO_RECLASSIFIED: _("Studio type or level changed"),
        MEMBER_ADDED: _("Member added"),
        MEMBER_REMOVED: _("Member removed"),
        IMPORT_DONE: _("Spreadsheet imported"),
        IMPORT_LINKS: _("Set-password links of imported people downloaded"),
    }
)


def member_added(membership: StudioMembership) -> dict:
    return {
        "member": {
            "user_id": membership.user_id,
            "name": str(membership.user),
            "role": membership.role,
            "role_label": str(membership.get_role_display()),
            "joined_on": membership.joined_on.isoformat(),
        }
    }


def member_removed(user) -> dict:
    return {"user_id": user.pk, "name": str(user)}


def studio_updated(studio: Studio) -> dict:
    return {"description": studio.description, "fields": studio.fields}


def studio_delisted(studio: Studio) -> dict:
    return {"reason": studio.delisted_reason}


def studio_reinstated(studio: Studio) -> dict:
    return {}


def studio_renamed(studio: Studio, old_name: str) -> dict:
    return {"name": studio.name, "old_name": old_name}


def studio_leader_changed(studio: Studio, old_leader) -> dict:
    return {
        "leader": {"user_id": studio.leader_id, "name": str(studio.leader)},
        "old_leader": {"user_id": old_leader.pk, "name": str(old_leader)},
    }


def studio_moved(studio: Studio, old_unit) -> dict:
    return {
        "unit": {"id": studio.unit_id, "name": str(studio.unit)},
        "old_unit": {"id": old_unit.pk, "name": str(old_unit)},
    }


def studio_reclassified(studio: Studio) -> dict:
    return {
        "type": studio.type,
        "type_label": str(studio.get_type_display()),
        "level": studio.level,
        "level_label": str(studio.get_level_display()),
    }


# The naming rounds' events register their labels with the trail's when this module is imported.
from .naming import events as naming_events  # noqa: E402, F401
