"""When a user's credentials stop being valid, their open websockets are closed at once.

A logout closes the sockets of that session; a password change or a disabled account closes all
of the user's sockets. Pages reconnect, and the handshake lets back in only a valid session.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from platform_core.realtime.services import close_user_sockets_on_commit

User = get_user_model()


@receiver(user_logged_out)
def close_sockets_of_the_session(sender, request, user, **kwargs) -> None:
    if user is not None and getattr(request, "session", None) is not None:
        close_user_sockets_on_commit(user.pk, session_key=request.session.session_key)


@receiver(pre_save, sender=User)
def notice_credentials_change(sender, instance, raw=False, **kwargs) -> None:
    instance._credentials_changed = False
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values_list("password", "is_active").first()
    if before is not None and (before[0] != instance.password or (before[1] and not instance.is_active)):
        instance._credentials_changed = True


@receiver(post_save, sender=User)
def close_sockets_after_credentials_change(sender, instance, created=False, **kwargs) -> None:
    if not created and getattr(instance, "_credentials_changed", False):
        close_user_sockets_on_commit(instance.pk)
