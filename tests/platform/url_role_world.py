"""The world the URL × role matrix requests its URLs in: every kind of object a URL names, in the
state where the URL applies, made through the services from the cast (tests/cast.py).

Challenges (all posted for unit A by `poster`):
- `draft`: a draft.
- `published`: bidding open, bids from studio1 (leader1) and studio2 (leader2); `panelist` and
  `recused` on its panel, `recused` having declared a conflict; a question answered and one open;
  an attachment of the poster's.
- `review`: under review, the same two bids; `panelist` and `recused` assigned (the conflict check
  recuses `recused`, who works in studio1's unit); the poster asked studio1 a clarification.
- `running`: in progress, awarded to studio2 (leader2), whose first milestone waits for review and
  second for evidence; leader2 wrote a progress report.
Problems of unit A (one open, one to merge into). The showcase: studio1's published achievement
with a file, a transfer listing and an inquiry from `poster2`; studio1's draft; a selection round
opened by `admin` with `panelist` and `recused` (recused from studio1's entry). Alliances: a team
led by `member` with leader2 in it and `outsider` invited, its room with a message and a file; an
alliance coordinated by studio1 that invited studio2; a mentor pair in studio1. Naming rounds at
each stage (tests/orgs/naming.py: `naming`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliances.models import Alliance, AllianceMembership, MentorPair, Room, Team, TeamInvitation
from alliances.models import Attachment as RoomAttachment
from alliances.services import alliances as alliance_services
from alliances.services import mentors, rooms, teams
from challenges.lifecycle import State
from challenges.models import Attachment, Bid, Challenge, Clarification, Milestone, Problem, Question
from challenges.services import attachments, milestones, problems, qa, reviews
from platform_core.media.models import MediaFile
from platform_core.media.services import media_upload_start
from platform_core.notifications.models import Notification
from platform_core.orgs import import_jobs
from platform_core.orgs.imports import UNIT_COLUMNS
from platform_core.orgs.models import ImportJob
from platform_core.spreadsheets import XLSX_CONTENT_TYPE, workbook_bytes
from showcase.models import Achievement, AchievementFile, Inquiry, Round, RoundEntry
from showcase.services import achievements, rounds, transfer
from tests.cast import Cast
from tests.challenges.conftest import make_world
from tests.consulting.world import ConsultingWorld, make_consulting_world
from tests.exchange.world import ExchangeWorld, make_exchange_world
from tests.learning.world import LearningWorld, make_learning_world
from tests.orgs.naming import NamingWorld, make_naming_world
from tests.showcase.conftest import make_achievement

PDF = b"%PDF-1.4 matrix"


def pdf(name: str = "方案.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class MatrixWorld:
    cast: Cast
    draft: Challenge
    published: Challenge
    bid_a: Bid  # studio1's bid on `published`
    bid_b: Bid  # studio2's
    question_open: Question
    attachment: Attachment
    review: Challenge
    review_bid_a: Bid
    clarification: Clarification
    running: Challenge
    won_bid: Bid
    milestone_submitted: Milestone
    milestone_pending: Milestone
    problem: Problem
    problem_target: Problem
    achievement: Achievement
    achievement_draft: Achievement
    achievement_file: AchievementFile
    inquiry: Inquiry
    round: Round
    entry: RoundEntry
    team: Team
    invitation: TeamInvitation
    room: Room
    room_attachment: RoomAttachment
    alliance: Alliance
    alliance_request: AllianceMembership
    pair: MentorPair
    notification: Notification
    naming: NamingWorld
    import_job: ImportJob  # admin's checked spreadsheet of units, waiting for confirmation
    media_upload: MediaFile  # member's video upload, opened, no byte sent yet
    consulting: ConsultingWorld
    exchange: ExchangeWorld  # experience posts (tests/exchange/world.py)
    learning: LearningWorld  # courses, lessons, a session, member's completion (tests/learning/world.py)


def make_matrix_world(cast: Cast) -> MatrixWorld:
    world = make_world(cast)
    poster = cast.poster

    draft = world.draft(title="草稿课题")

    # Attachments go on a challenge while it is a draft.
    published = world.draft(title="开放揭榜课题")
    attachment = attachments.attachment_add(actor=poster, challenge=published, upload=pdf("技术要求.pdf"))
    world.act(published, poster, "submit")
    published = world.act(published, cast.admin, "approve")
    bid_a = world.bid(published, "leader1")
    bid_b = world.bid(published, "leader2")
    for expert in (cast.panelist, cast.recused):
        reviews.expert_assign(actor=poster, challenge=published, expert=expert)
    reviews.expert_declare_conflict(actor=cast.recused, challenge=published, reason="与一号工作室同单位")
    answered = qa.question_ask(actor=cast.outsider, challenge=published, body="是否接受联合体？")
    qa.question_answer(actor=poster, question=answered, answer="接受")
    question_open = qa.question_ask(actor=cast.leader2, challenge=published, body="试点基站在哪里？")

    review = world.in_state(State.UNDER_REVIEW, title="评审中课题")
    for expert in (cast.panelist, cast.recused):
        reviews.expert_assign(actor=poster, challenge=review, expert=expert)
    review_bid_a = review.bids.get(studio=cast.studio1)
    clarification = reviews.clarification_ask(actor=poster, bid=review_bid_a, question="预算依据？")

    running = world.in_state(State.IN_PROGRESS, title="实施中课题")
    won_bid = running.bids.get(status=Bid.Status.WON)
    first, second = Milestone.objects.filter(bid=won_bid).order_by("due_date", "pk")[:2]
    milestone_submitted = milestones.milestone_submit(
        actor=cast.leader2, milestone=first, evidence_note="设计文档已上传"
    )
    milestones.progress_report_add(actor=cast.leader2, bid=won_bid, body="第一阶段进展顺利")

    problem = problems.problem_submit(
        actor=cast.member, unit=cast.unit_a, title="基站冬季能耗高", description="耗电量大"
    )
    problem_target = problems.problem_submit(
        actor=cast.leader1, unit=cast.unit_a, title="机房空调耗电", description="耗电"
    )

    achievement = make_achievement(cast)
    achievement_draft = make_achievement(cast, publish=False, title="秘密焊接工艺草稿")
    achievement_file = achievements.achievement_file_add(
        actor=cast.leader1, achievement=achievement, upload=pdf("鉴定报告.pdf"), kind="attachment"
    )
    transfer.listing_save(
        actor=cast.leader1,
        achievement=achievement,
        maturity=7,
        modes=["licence", "joint"],
        price=Decimal("500000"),
        contact_name="王建国",
        contact_phone="13800000000",
    )
    achievement.refresh_from_db()
    inquiry = transfer.inquiry_send(
        actor=cast.poster2, listing=achievement.listing, mode="licence", message="想了解许可条件"
    )
    today = timezone.localdate()
    round = rounds.round_open(
        actor=cast.admin,
        kind=Round.Kind.SELECTION,
        title="年度优秀创新成果",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        criteria=[("创新性", 60), ("效益", 40)],
        experts=[cast.panelist, cast.recused],
    )
    entry = rounds.round_entry_add(actor=cast.admin, round=round, achievement=achievement)

    team = teams.team_create(actor=cast.member, name="跨单位攻关队", purpose="节能降耗攻关")
    joining = teams.team_invite(actor=cast.member, team=team, user=cast.leader2)
    teams.invitation_accept(actor=cast.leader2, invitation_id=joining.pk)
    invitation = teams.team_invite(actor=cast.member, team=team, user=cast.outsider)
    room = rooms.room_for_team(team)
    rooms.message_send(actor=cast.member, room_id=room.pk, client_id="matrix-1", body="大家好")
    room_attachment = rooms.attachment_upload(actor=cast.member, room=room, upload=pdf("纪要.pdf"))

    alliance = alliance_services.alliance_create(
        actor=cast.leader1, name="节能联盟", charter="共享节能经验", coordinator=cast.studio1
    )
    alliance_request = alliance_services.alliance_invite_studio(
        actor=cast.leader1, alliance=alliance, studio=cast.studio2
    )
    pair = mentors.mentor_pair_create(
        actor=cast.leader1,
        studio=cast.studio1,
        mentor=cast.leader1,
        apprentice=cast.member,
        skill="带电作业",
        started_on=today,
    )
    mentors.mentor_note_add(actor=cast.leader1, pair=pair, text="第一次带教")

    notification = Notification.objects.filter(recipient=cast.leader1).order_by("pk").first()
    assert notification is not None, "the world's services notify leader1"
    return MatrixWorld(
        cast=cast,
        draft=draft,
        published=published,
        bid_a=bid_a,
        bid_b=bid_b,
        question_open=question_open,
        attachment=attachment,
        review=review,
        review_bid_a=review_bid_a,
        clarification=clarification,
        running=running,
        won_bid=won_bid,
        milestone_submitted=milestone_submitted,
        milestone_pending=second,
        problem=problem,
        problem_target=problem_target,
        achievement=achievement,
        achievement_draft=achievement_draft,
        achievement_file=achievement_file,
        inquiry=inquiry,
        round=round,
        entry=entry,
        team=team,
        invitation=invitation,
        room=room,
        room_attachment=room_attachment,
        alliance=alliance,
        alliance_request=alliance_request,
        pair=pair,
        notification=notification,
        naming=make_naming_world(cast),
        import_job=make_import_job(cast),
        media_upload=media_upload_start(
            actor=cast.member, kind="video", name="矩阵课程.mp4", size=1000, content_type="video/mp4"
        ),
        consulting=make_consulting_world(cast),
        exchange=make_exchange_world(cast),
        learning=make_learning_world(cast),
    )


def units_sheet(name: str = "矩阵单位.xlsx") -> SimpleUploadedFile:
    """A spreadsheet of one unit under group G (admin's scope, not admin2's)."""
    content = workbook_bytes([("units", [[c.header for c in UNIT_COLUMNS], ["矩阵单位", "", "集团G"]])])
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)


def make_import_job(cast: Cast) -> ImportJob:
    job = import_jobs.import_job_create(
        actor=cast.admin, kind="units", upload=units_sheet(), background=False
    )
    job = import_jobs.import_job_run(job.pk, write=False, tell=False)
    assert job.status == ImportJob.Status.CHECKED, job.report
    return job
