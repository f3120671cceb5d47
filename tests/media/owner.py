"""A tiny owner of media files, for the tests only: what a lesson page will do. Its page has a
form with a video and a captions field (platform_core.media.forms.MediaFileField); once sent, it
shows the video in a <video> element with the captions as a <track>, both read through its own
view, which checks access (here: signed in) and calls `media_response`.

Mounted by `@pytest.mark.urls("tests.media.owner")` for the test client, and by the settings
module tests.media.owner_settings for a daphne process (the browser test)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import include, path, reverse

from platform_core.media.forms import MediaFileField
from platform_core.media.models import MediaFile
from platform_core.media.serving import media_response

PAGE = """{% extends "base.html" %}
{% block title %}Media owner{% endblock %}
{% block content %}
<h1>Media owner</h1>
<form method="post" novalidate data-owner-form>
  {% csrf_token %}
  {% include "frontend/_form_errors.html" %}
  {% include "frontend/_field.html" with field=form.title %}
  {% include "frontend/_field.html" with field=form.video %}
  {% include "frontend/_field.html" with field=form.captions %}
  <button class="button" type="submit">Save</button>
</form>
{% if video_url %}
<p data-owner-saved>{{ saved_title }}</p>
<video controls preload="metadata" src="{{ video_url }}" data-owner-video>
  {% if captions_url %}
  <track kind="captions" srclang="zh" label="中文" src="{{ captions_url }}" default>
  {% endif %}
</video>
{% endif %}
{% endblock %}
"""


class OwnerForm(forms.Form):
    title = forms.CharField(label="Title", max_length=100)
    video = MediaFileField(kind=MediaFile.Kind.VIDEO, label="Video")
    captions = MediaFileField(kind=MediaFile.Kind.CAPTIONS, label="Captions", required=False)

    def __init__(self, *args, user, attached: MediaFile | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["video"].for_user(user, attached=attached)
        self.fields["captions"].for_user(user)


@login_required
def page(request):
    form = OwnerForm(request.POST or None, user=request.user)
    context: dict = {"form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            context["saved_title"] = form.cleaned_data["title"]
            context["video_url"] = reverse("media_owner_file", args=[form.cleaned_data["video"].pk])
            if form.cleaned_data["captions"]:
                context["captions_url"] = reverse("media_owner_file", args=[form.cleaned_data["captions"].pk])
        else:
            status = 400
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render(context, request), status=status)


@login_required
def media_file(request, pk):
    # The owner's own access rule would be here (a lesson's: enrolled, or the course's author).
    return media_response(request, get_object_or_404(MediaFile, pk=pk))


urlpatterns = [
    path("media-owner/", page, name="media_owner_page"),
    path("media-owner/files/<uuid:pk>/", media_file, name="media_owner_file"),
    path("", include("platform_core.urls")),
]
handler500 = "platform_core.outage.server_error"
