"""The e-mail settings form (frontend/views/notifications.py): a choice per registered kind of
notification, grouped as the kinds registered themselves (platform_core/notifications/kinds.py)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from platform_core.notifications.kinds import EmailMode
from platform_core.notifications.selectors import EmailPreferences

FIELD_PREFIX = "mode:"


class EmailSettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)

    def __init__(self, *args, preferences: EmailPreferences, **kwargs):
        initial = {"language": preferences.language}
        initial.update({FIELD_PREFIX + each.kind.key: each.mode for each in preferences.settings})
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.groups: dict[str, list[str]] = {}
        for each in preferences.settings:
            name = FIELD_PREFIX + each.kind.key
            # The label in the language of the request (the form is made per request).
            self.fields[name] = forms.ChoiceField(label=str(each.kind.label), choices=EmailMode.choices)
            self.groups.setdefault(str(each.kind.group), []).append(name)

    def grouped_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(group, [self[name] for name in names]) for group, names in self.groups.items()]

    def modes(self) -> dict[str, str]:
        return {
            name.removeprefix(FIELD_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(FIELD_PREFIX)
        }
