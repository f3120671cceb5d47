"""When a user's credentials or rights change, their open websockets are checked again at once.

A logout closes the sockets of that session. A password change, a disabled or deleted account, or
a changed union-admin grant makes every process re-check the user's sockets: a socket whose session
is no longer valid is closed (the page reconnects, and the handshake lets back in only a valid
session), and subscriptions the user may no longer see end. Changes no signal announces (an expired
session, a bulk update) are caught by the hubs' periodic re-check (REALTIME_GROUP_REFRESH_SECONDS).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from platform_core.realtime.services import close_session_sockets_on_commit, recheck_user_on_commit

from .models import AdminGrant
from .sessions import end_user_sessions_on_commit

User = get_user_model()
CREDENTIAL_FIELDS = {"password", "is_active"}


@receiver(user_logged_out)
def close_sockets_of_the_session(sender, request, user, **kwargs) -> None:
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and session_key:
        close_session_sockets_on_commit(user.pk, session_key)


@receiver(pre_save, sender=User)
def notice_credentials_change(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    instance._credentials_changed = False
    instance._activity_changed = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and not CREDENTIAL_FIELDS & set(update_fields):
        return  # e.g. last_login at each login: no query
    before = sender.objects.filter(pk=instance.pk).values_list("password", "is_active").first()
    if before is not None and (before[0] != instance.password or (before[1] and not instance.is_active)):
        instance._credentials_changed = True
    if before is not None and before[1] != instance.is_active:
        instance._activity_changed = True


@receiver(post_save, sender=User)
def recheck_after_credentials_change(sender, instance, created=False, **kwargs) -> None:
    if not created and getattr(instance, "_credentials_changed", False):
        recheck_user_on_commit(instance.pk)
    if not created and getattr(instance, "_activity_changed", False):
        end_user_sessions_on_commit(instance.pk)


@receiver(post_delete, sender=User)
def recheck_after_deletion(sender, instance, **kwargs) -> None:
    recheck_user_on_commit(instance.pk)


@receiver(post_save, sender=AdminGrant)
@receiver(post_delete, sender=AdminGrant)
def recheck_after_grant_change(sender, instance, **kwargs) -> None:
    recheck_user_on_commit(instance.user_id)
