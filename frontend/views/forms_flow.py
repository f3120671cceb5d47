"""The one shape of a page that changes something: form → service → message → redirect.

A service's ValidationError becomes error messages on the next page, like an invalid form's
errors; its PermissionDenied is not caught, so every write page answers it with the 403 page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial, wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

Target = TypeVar("Target")


@dataclass(frozen=True)
class Done:
    """What an action that creates something returns: its message and where to go next (the new
    object's page), instead of the `then` that is shown when it fails."""

    message: str
    then: str


def perform(request: HttpRequest, action: Callable[[], str | Done], *, then: str) -> HttpResponse:
    """Run `action` (a service call that returns its success message, or a `Done`), then redirect
    to `then` (a URL or a URL name), or to the `Done`'s own URL."""
    try:
        success = action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if isinstance(success, Done):
            messages.success(request, success.message)
            return redirect(success.then)
        messages.success(request, success)
    return redirect(then)


def submit(
    request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], str | Done], *, then: str
) -> HttpResponse:
    """Validate `form`, then `perform` the action with its cleaned data; report what is wrong."""
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect(then)
    return perform(request, lambda: action(form.cleaned_data), then=then)


def object_form(
    form_class: type[forms.Form],
    *,
    fetch: Callable[[Any, int], Target],
    then: Callable[[Target], str],
) -> Callable[[Callable[[HttpRequest, Target, dict[str, Any]], str]], Callable[..., HttpResponse]]:
    """A signed-in POST of `form_class` about one object (`fetch(user, pk)`, which checks that the
    user may see it); the decorated function calls the service and returns the success message.

        @object_form(StudioEditForm, fetch=selectors.studio_for_viewer, then=studio_url)
        def edit(request, studio, data) -> str: ...
    """

    def decorate(act: Callable[[HttpRequest, Target, dict[str, Any]], str]) -> Callable[..., HttpResponse]:
        @login_required
        @require_POST
        @wraps(act)
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            target = fetch(request.user, pk)
            return submit(request, form_class(request.POST), partial(act, request, target), then=then(target))

        return view

    return decorate
