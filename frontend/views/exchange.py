"""经验交流 pages: the public list of experience posts, a post with its comment threads (live for
signed-in readers), writing and editing, likes, favourites, reports, the union admins' moderation
queue and sensitive words; and the learning and exchange search over every knowledge kind."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances import knowledge
from alliances.exchange import permissions, selectors, services
from alliances.exchange.knowledge_search import PAGE_SIZE, knowledge_search
from alliances.exchange.models import Comment, SensitiveWord
from platform_core.http import client_ip
from platform_core.orgs.models import Studio
from platform_core.orgs.permissions import my_studios
from platform_core.private_storage import private_file_response
from platform_core.realtime.selectors import topic_head

from ..exchange_forms import (
    CommentForm,
    ImageForm,
    KnowledgeSearchForm,
    ModerateForm,
    PostEditForm,
    PostForm,
    ReportForm,
    SensitiveWordForm,
)
from .forms_flow import Done, form_for, perform, submit

app_name = "exchange"
PER_PAGE = 20


def _detail_url(pk: int) -> str:
    return reverse("exchange:detail", args=[pk])


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _page(request, rows):
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


def post_list(request):
    query = request.GET.get("q", "")[:200]
    field_id = _int(request.GET.get("field"))
    page = _page(request, selectors.post_list(query=query, field_id=field_id))
    return render(
        request,
        "exchange/list.html",
        {
            "page": page,
            "query": query,
            "field_id": field_id,
            "fields": selectors.fields_of_work(),
            "can_write": permissions.can_write_post(request.user),
            "is_moderator": permissions.is_moderator(request.user),
        },
    )


@login_required
def mine(request):
    return render(request, "exchange/mine.html", {"page": _page(request, selectors.my_posts(request.user))})


@login_required
def favourites(request):
    return render(
        request, "exchange/favourites.html", {"page": _page(request, selectors.favourites_of(request.user))}
    )


def _studios(user):
    return Studio.objects.filter(pk__in=my_studios(user), status=Studio.Status.ACTIVE).order_by("name")


@login_required
def create(request):
    if not permissions.can_write_post(request.user):
        raise PermissionDenied
    studios = _studios(request.user)
    if request.method == "POST":
        form = PostForm(request.POST, studios=studios)

        def act(data) -> Done:
            post = services.post_create(
                actor=request.user,
                title=data["title"],
                body=data["body"],
                fields=data["work_fields"],
                studio=form.chosen_studio(),
                ip_address=client_ip(request),
            )
            message = (
                _("The post is published.")
                if post.is_published
                else _("The post waits for a union admin's review.")
            )
            return Done(message, _detail_url(post.pk))

        return submit(request, form, act, then=reverse("exchange:create"))
    return render(request, "exchange/form.html", {"form": form_for(request, PostForm, studios=studios)})


@login_required
def edit(request, pk: int):
    viewed = selectors.post_for(request.user, pk)
    if not viewed.access.can_edit:
        raise PermissionDenied
    post = viewed.post
    if request.method == "POST":
        form = PostEditForm(request.POST)

        def act(data) -> Done:
            saved = services.post_edit(
                actor=request.user,
                post=post,
                title=data["title"],
                body=data["body"],
                fields=data["work_fields"],
                ip_address=client_ip(request),
            )
            message = (
                _("The post is saved.")
                if saved.is_published
                else _("The post waits for a union admin's review.")
            )
            return Done(message, _detail_url(pk))

        return submit(request, form, act, then=reverse("exchange:edit", args=[pk]))
    initial = {"title": post.title, "body": post.body, "work_fields": list(post.fields.all())}
    return render(
        request,
        "exchange/form.html",
        {
            "form": form_for(request, PostEditForm, initial=initial),
            "post": post,
            "images": post.images.all(),
            "image_form": form_for(request, ImageForm),
        },
    )


@login_required
@require_POST
def image_add(request, pk: int):
    post = selectors.post_for(request.user, pk).post
    form = ImageForm(request.POST, request.FILES)

    def act(data) -> str:
        image = services.post_image_add(
            actor=request.user, post=post, upload=data["file"], ip_address=client_ip(request)
        )
        return _("The picture is added: place it in the text with ![caption](image:%(id)s).") % {
            "id": image.pk
        }

    return submit(request, form, act, then=reverse("exchange:edit", args=[pk]))


def image(request, pk: int):
    """A post's picture, as its post is shown: access checked on every request."""
    stored = selectors.post_image_for(request.user, pk)
    return private_file_response(stored.file, filename=stored.name, as_attachment=False)


def detail(request, pk: int):
    viewed = selectors.post_for(request.user, pk)
    post = viewed.post
    signed_in = request.user.is_authenticated
    # A refused report of a comment comes back beside that comment (`?report_comment=<id>`).
    reported = _int(request.GET.get("report_comment"))
    comment_report_form = (
        form_for(request, ReportForm, posted_to=reverse("exchange:comment_report", args=[reported]))
        if reported
        else None
    )
    return render(
        request,
        "exchange/detail.html",
        {
            "post": post,
            "access": viewed.access,
            "threads": selectors.comments_for(request.user, post),
            "comment_form": form_for(request, CommentForm, posted_to=reverse("exchange:comment", args=[pk])),
            "report_form": form_for(request, ReportForm, posted_to=reverse("exchange:report", args=[pk])),
            "moderate_form": form_for(
                request, ModerateForm, posted_to=reverse("exchange:moderate", args=[pk])
            ),
            "reported_comment": reported,
            "comment_report_form": comment_report_form,
            # Signed-in readers follow the post live (the socket admits no anonymous visitor).
            "topic_head": topic_head(post.topic) if signed_in else None,
        },
    )


@login_required
@require_POST
def delete(request, pk: int):
    post = selectors.post_for(request.user, pk).post

    def act() -> Done:
        services.post_delete(actor=request.user, post=post, ip_address=client_ip(request))
        return Done(_("The post is deleted."), reverse("exchange:mine"))

    return perform(request, act, then=_detail_url(pk))


@login_required
@require_POST
def comment(request, pk: int):
    post = selectors.post_for(request.user, pk).post
    form = CommentForm(request.POST)

    def act(data) -> str:
        parent = None
        if data.get("parent"):
            parent = Comment.objects.filter(post=post, pk=data["parent"]).first()
            if parent is None:
                raise ValidationError({"body": _("Reply to a comment of this post.")})
        saved = services.comment_create(actor=request.user, post=post, body=data["body"], parent=parent)
        return (
            _("Comment posted.")
            if saved.is_published
            else _("Your comment waits for a union admin's review.")
        )

    return submit(request, form, act, then=_detail_url(pk))


@login_required
@require_POST
def comment_delete(request, pk: int):
    target = selectors.comment_for(request.user, pk)

    def act() -> str:
        services.comment_delete(actor=request.user, comment=target, ip_address=client_ip(request))
        return _("The comment is deleted.")

    return perform(request, act, then=_detail_url(target.post_id))


@login_required
@require_POST
def like(request, pk: int):
    viewed = selectors.post_for(request.user, pk)

    def act() -> str:
        services.post_like(actor=request.user, post=viewed.post, liked=not viewed.access.liked)
        return _("You like this post.") if not viewed.access.liked else _("Like withdrawn.")

    return perform(request, act, then=_detail_url(pk))


@login_required
@require_POST
def favourite(request, pk: int):
    viewed = selectors.post_for(request.user, pk)

    def act() -> str:
        services.post_favourite(actor=request.user, post=viewed.post, favourite=not viewed.access.favourited)
        return (
            _("Kept in your favourites.")
            if not viewed.access.favourited
            else _("Removed from your favourites.")
        )

    return perform(request, act, then=_detail_url(pk))


@login_required
@require_POST
def report(request, pk: int):
    post = selectors.post_for(request.user, pk).post
    form = ReportForm(request.POST)

    def act(data) -> str:
        services.report_file(
            actor=request.user, post=post, reason=data["reason"], ip_address=client_ip(request)
        )
        return _("Thank you: the union admins will look at it.")

    return submit(request, form, act, then=_detail_url(pk))


@login_required
@require_POST
def comment_report(request, pk: int):
    target = selectors.comment_for(request.user, pk)
    form = ReportForm(request.POST)

    def act(data) -> str:
        services.report_file(
            actor=request.user,
            post=target.post,
            comment=target,
            reason=data["reason"],
            ip_address=client_ip(request),
        )
        return _("Thank you: the union admins will look at it.")

    return submit(request, form, act, then=f"{_detail_url(target.post_id)}?report_comment={pk}")


@login_required
@require_POST
def feature(request, pk: int):
    post = selectors.post_for(request.user, pk).post
    featured = request.POST.get("featured") == "1"

    def act() -> str:
        services.post_feature(actor=request.user, post=post, featured=featured, ip_address=client_ip(request))
        return _("Featured on the home page.") if featured else _("No longer featured.")

    return perform(request, act, then=_detail_url(pk))


@login_required
@require_POST
def moderate(request, pk: int):
    post = selectors.post_for(request.user, pk).post
    form = ModerateForm(request.POST)

    def act(data) -> str:
        services.post_moderate(
            actor=request.user,
            post=post,
            action=data["action"],
            reason=data["reason"],
            ip_address=client_ip(request),
        )
        return _("The post is published.") if data["action"] == "approve" else _("The post is hidden.")

    # From the moderation queue, back to the queue; from the post's page, back to the post.
    then = reverse("exchange:queue") if request.POST.get("from") == "queue" else _detail_url(pk)
    return submit(request, form, act, then=then)


@login_required
@require_POST
def comment_moderate(request, pk: int):
    target = selectors.comment_for(request.user, pk)
    form = ModerateForm(request.POST)

    def act(data) -> str:
        services.comment_moderate(
            actor=request.user,
            comment=target,
            action=data["action"],
            reason=data["reason"],
            ip_address=client_ip(request),
        )
        return _("The comment is published.") if data["action"] == "approve" else _("The comment is hidden.")

    return submit(request, form, act, then=reverse("exchange:queue"))


@login_required
@require_POST
def report_dismiss(request, pk: int):
    target = selectors.report_for_moderator(request.user, pk)

    def act() -> str:
        services.report_dismiss(actor=request.user, report=target, ip_address=client_ip(request))
        return _("The report is dismissed.")

    return perform(request, act, then=reverse("exchange:queue"))


@login_required
def queue(request):
    if not permissions.is_moderator(request.user):
        raise PermissionDenied
    return render(
        request,
        "exchange/queue.html",
        {"queue": selectors.moderation_queue(request.user), "moderate_form": form_for(request, ModerateForm)},
    )


@login_required
def sensitive_words(request):
    if not permissions.can_manage_sensitive_words(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = SensitiveWordForm(request.POST)

        def act(data) -> str:
            services.sensitive_word_add(actor=request.user, word=data["word"], ip_address=client_ip(request))
            return _("The word is added.")

        return submit(request, form, act, then=reverse("exchange:words"))
    return render(
        request,
        "exchange/words.html",
        {"words": selectors.sensitive_words(), "form": form_for(request, SensitiveWordForm)},
    )


@login_required
@require_POST
def sensitive_word_remove(request, pk: int):
    if not permissions.can_manage_sensitive_words(request.user):
        raise PermissionDenied
    entry = get_object_or_404(SensitiveWord, pk=pk)

    def act() -> str:
        services.sensitive_word_remove(actor=request.user, entry=entry, ip_address=client_ip(request))
        return _("The word is removed.")

    return perform(request, act, then=reverse("exchange:words"))


def learn_search(request):
    """The learning and exchange search: every kind the viewer may see, in one ranking."""
    form = KnowledgeSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    kind_key = request.GET.get("kind", "")
    if kind_key and knowledge.kind(kind_key) is None:
        kind_key = ""
    field_id = _int(request.GET.get("field"))
    page_number = _int(request.GET.get("page")) or 1
    results = knowledge_search(
        request.user,
        query=query,
        kind_key=kind_key,
        field_id=field_id,
        offset=(page_number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    labels = {kind.key: kind.label for kind in knowledge.kinds()}
    return render(
        request,
        "exchange/learn_search.html",
        {
            "form": form,
            "results": results,
            "rows": [(hit, labels.get(hit.kind, hit.kind)) for hit in results.hits],
            "query": query,
            "kind_key": kind_key,
            "field_id": field_id,
            "page_number": page_number,
        },
    )


urlpatterns = [
    path("exchange/", post_list, name="list"),
    path("exchange/mine/", mine, name="mine"),
    path("exchange/favourites/", favourites, name="favourites"),
    path("exchange/new/", create, name="create"),
    path("exchange/moderation/", queue, name="queue"),
    path("exchange/sensitive-words/", sensitive_words, name="words"),
    path("exchange/sensitive-words/<int:pk>/remove/", sensitive_word_remove, name="word_remove"),
    path("exchange/images/<int:pk>/", image, name="image"),
    path("exchange/<int:pk>/", detail, name="detail"),
    path("exchange/<int:pk>/edit/", edit, name="edit"),
    path("exchange/<int:pk>/images/", image_add, name="image_add"),
    path("exchange/<int:pk>/delete/", delete, name="delete"),
    path("exchange/<int:pk>/comments/", comment, name="comment"),
    path("exchange/<int:pk>/like/", like, name="like"),
    path("exchange/<int:pk>/favourite/", favourite, name="favourite"),
    path("exchange/<int:pk>/report/", report, name="report"),
    path("exchange/<int:pk>/feature/", feature, name="feature"),
    path("exchange/<int:pk>/moderate/", moderate, name="moderate"),
    path("exchange/comments/<int:pk>/delete/", comment_delete, name="comment_delete"),
    path("exchange/comments/<int:pk>/report/", comment_report, name="comment_report"),
    path("exchange/comments/<int:pk>/moderate/", comment_moderate, name="comment_moderate"),
    path("exchange/reports/<int:pk>/dismiss/", report_dismiss, name="report_dismiss"),
    path("learn/search/", learn_search, name="learn_search"),
]
