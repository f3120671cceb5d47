"""The studio page's "titles and assessments over the years" section, as one tag: the studio page
includes it with one line, `{% load naming_tags %}{% studio_titles studio %}`."""

from __future__ import annotations

from django import template

from platform_core.orgs.naming.selectors import studio_title_history

register = template.Library()


@register.inclusion_tag("frontend/naming/_studio_titles.html", takes_context=True)
def studio_titles(context, studio) -> dict:
    history = studio_title_history(context["request"].user, studio)
    return {"studio": studio, "titles": history.titles, "assessments": history.assessments}
