"""The one shape of a page that changes something: form → service → message → redirect, and, when
the input is wrong, the form again with what was typed and each error beside its field.

- `submit` validates a form and runs the service. On success: a message and a redirect. On an
  invalid form or a service `ValidationError`, the page the form lives on (`then`) is rendered again
  in place, status 400, with the bound form: a ValidationError with a dict of field errors goes to
  `form.add_error(field, …)` (a field the form does not have, and every other error, to the
  non-field errors). The page's view takes the bound form with `form_for(request, FormClass, …)`
  where it would have made an empty one; a page that does not (yet) is answered as before, the
  errors as messages and a redirect, so no page loses its errors.
- `form_saved(request, form, action)` is the same rule for a page that handles its own POST (the long
  challenge and bid forms): a service `ValidationError` onto the form, and False so the view
  renders the bound form again.
- `perform` runs an action that has no form (a button): a ValidationError becomes error messages
  and a redirect (there is no input to keep).
- A `PermissionDenied` is not caught, so every write page answers it with the 403 page.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial, wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_POST

Target = TypeVar("Target")
FormT = TypeVar("FormT", bound=forms.BaseForm)

# The status of a page shown again because its input was refused.
INVALID_STATUS = 400


@dataclass(frozen=True)
class Done:
    """What an action that creates something returns: its message and where to go next (the new
    object's page), instead of the `then` that is shown when it fails."""

    message: str
    then: str


@dataclass
class _Pending:
    """The refused form, waiting for the page that shows it again."""

    form: forms.BaseForm
    posted_to: str
    taken: bool = False


def form_for(
    request: HttpRequest,
    form_class: type[FormT],
    /,
    *args: Any,
    posted_to: str | None = None,
    posted_with: dict[str, Any] | None = None,
    **kwargs: Any,
) -> FormT:
    """The form a page shows: the refused one, bound with what was typed and its errors, when this
    rendering is `submit` showing it again; else `form_class(*args, **kwargs)`. Where a page has
    several forms of one class, `posted_to` (the form's action) says which one this is, and where
    they post to one URL, `posted_with` the hidden values that tell them apart (a round's score
    rows post `entry`)."""
    pending: _Pending | None = getattr(request, "_pending_form", None)
    if (
        pending is not None
        and type(pending.form) is form_class
        and (posted_to is None or posted_to == pending.posted_to)
        and all(pending.form.data.get(key) == str(value) for key, value in (posted_with or {}).items())
    ):
        pending.taken = True
        return pending.form  # type: ignore[return-value]
    return form_class(*args, **kwargs)


def is_refused_form(request: HttpRequest) -> bool:
    """Whether this rendering shows a refused form again (a page may open the part it is in)."""
    return getattr(request, "_pending_form", None) is not None


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError onto the form: field errors beside their fields, the rest as
    non-field errors. Where the form names a field differently from the service (the service's
    `criteria` is typed into the form's `criteria_text`), the form's `service_fields_shown_as`
    maps the service's name to the form's."""
    if hasattr(error, "error_dict"):
        renamed: dict[str, str] = getattr(form, "service_fields_shown_as", {})
        for name, errors in error.error_dict.items():
            field = renamed.get(name, name)
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


def page_status(form: forms.BaseForm) -> int:
    """The status of a page that handles its own POST and shows `form`: INVALID_STATUS when the form
    comes back refused (bound, with errors), as `submit` answers, else 200."""
    return INVALID_STATUS if form.is_bound and form.errors else 200


def form_saved(request: HttpRequest, form: forms.BaseForm, action: Callable[[], str]) -> bool:
    """For a page that handles its own POST: run `action` (a service call returning its success
    message). True with the message on success; False with the service's refusal on the form
    (`add_service_errors`), for the view to render the bound form again."""
    try:
        success = action()
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, success)
    return True


def _show_again(request: HttpRequest, form: forms.BaseForm, then: str) -> HttpResponse | None:
    """Render the page at `then` (its view, as a GET) with the refused form; None when that page
    does not take it (or is not a page of ours)."""
    parts = urlsplit(resolve_url(then))
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    posted_to = request.path
    page = copy.copy(request)
    page.method = "GET"
    page.GET = QueryDict(parts.query)
    page.POST = QueryDict()
    page.path = page.path_info = parts.path
    page.resolver_match = match
    pending = _Pending(form, posted_to)
    page._pending_form = pending  # type: ignore[attr-defined]
    try:
        response = match.func(page, *match.args, **match.kwargs)
    except (Http404, PermissionDenied):
        # The page is no longer the user's to see (the refused action did not change that, but
        # another may have): answer as a page that does not take the form.
        return None
    if not pending.taken or response.status_code != 200:
        return None
    response.status_code = INVALID_STATUS
    return response


def _refused(request: HttpRequest, form: forms.BaseForm, then: str) -> HttpResponse:
    shown = _show_again(request, form, then)
    if shown is not None:
        return shown
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))
    return redirect(then)


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
    """Validate `form`, then run the action with its cleaned data: on success its message and a
    redirect; when the input is refused, the page at `then` again with the bound form."""
    if not form.is_valid():
        return _refused(request, form, then)
    try:
        success = action(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return _refused(request, form, then)
    if isinstance(success, Done):
        messages.success(request, success.message)
        return redirect(success.then)
    messages.success(request, success)
    return redirect(then)


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

        view.forms_flow_form = form_class  # type: ignore[attr-defined]  # the form pages test finds it
        return view

    return decorate
