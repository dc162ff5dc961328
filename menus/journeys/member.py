"""A member's own records: balances (behind the PIN), next meeting, trainings, cooperative."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from locales import N_
from locales.formatting import format_date, format_money, format_when, to_local
from menus.engine import Choice, Screen, Visit
from models import balances
from models.audience import trainings_for
from models.checklists import checklist
from models.registration import next_step, stage_label
from models.texts import text_in
from services.group_books import if_today
from services.registration import missing_documents

#: How many upcoming trainings a member can page through.
TRAININGS_SHOWN = 20


def _balances(visit: Visit) -> str:
    """As of the last meeting: shares as a count and a value, the social fund, the loan left
    with its next due date (no loan: no line)."""
    assert visit.person is not None
    mine = balances(visit.db, visit.person.id, to_local(visit.now, visit.settings.tz).date())
    lines = []
    if mine.as_of is not None:
        lines.append(visit.t(N_("As of {date}:"), date=format_date(mine.as_of)))
    lines += [
        visit.t(
            N_("Shares: {count} ({value})"),
            count=mine.share_count,
            value=format_money(mine.shares),
        ),
        visit.t(N_("Social fund: {amount}"), amount=format_money(mine.social_fund)),
    ]
    if mine.loan_outstanding:
        due = format_date(mine.next_due) if mine.next_due else "-"
        lines.append(
            visit.t(N_("Loan: {amount} by {date}"), amount=format_money(mine.loan_owed), date=due)
        )
    return "\n".join(lines)


def _share_today(visit: Visit) -> str:
    assert visit.person is not None
    found = if_today(visit.db, visit.person, to_local(visit.now, visit.settings.tz).date())
    if found is None:
        return visit.t(N_("Your group does not keep its books here yet."))
    return visit.t(
        N_(
            "Share-out today: {shares} shares x {per_share} = {gross}, less loan {debt}: "
            "you get {payout}"
        ),
        shares=found.shares,
        per_share=found.per_share,
        gross=format_money(found.gross),
        debt=format_money(found.debt),
        payout=format_money(found.payout),
    )


def _statement(visit: Visit) -> str:
    return "\n".join([_balances(visit), _share_today(visit)])


def next_meeting(visit: Visit) -> datetime | None:
    """The next time the member's VSLA meets (now or later, Africa/Kigali)."""
    person = visit.person
    vsla = person.vsla if person is not None else None
    if vsla is None or vsla.meeting_day is None or vsla.meeting_time is None:
        return None
    zone = ZoneInfo(visit.settings.tz)
    local_now = visit.now.astimezone(zone)
    ahead = (vsla.meeting_day - local_now.weekday()) % 7
    day = local_now.date() + timedelta(days=ahead)
    meeting = datetime.combine(day, vsla.meeting_time, tzinfo=zone)
    if meeting < local_now:
        meeting += timedelta(days=7)
    return meeting


def _meeting(visit: Visit) -> str:
    meeting = next_meeting(visit)
    if meeting is None or visit.person is None or visit.person.vsla is None:
        return visit.t(N_("Your group has no meeting day set. Ask your group's leader."))
    vsla = visit.person.vsla
    return visit.t(
        N_("Next meeting of {group}: {when}, {place}."),
        group=vsla.name,
        when=format_when(meeting, visit.lang, visit.settings.tz),
        place=vsla.meeting_place or "-",
    )


def _trainings(visit: Visit) -> str:
    assert visit.person is not None
    found = trainings_for(visit.db, visit.person, visit.now, limit=TRAININGS_SHOWN)
    if not found:
        return visit.t(N_("No training is planned for you yet."))
    tz = visit.settings.tz
    lang = visit.lang
    lines = [
        f"{format_when(t.starts_at, lang, tz)}: "
        f"{text_in(t, 'topic', lang)}, {text_in(t, 'venue', lang, mark=False)}"
        for t in found
    ]
    return "\n".join([visit.t(N_("Your trainings:")), *lines])


def _in_vsla(visit: Visit) -> bool:
    return visit.person is not None and visit.person.vsla_id is not None


def _cooperative(visit: Visit) -> str:
    person = visit.person
    coop = person.cooperative if person is not None else None
    if coop is None:
        return visit.t(N_("You are not in a cooperative yet."))
    when = format_date(coop.stage_date, visit.lang) if coop.stage_date else "-"
    text = visit.t(
        N_("{name}: {stage} ({date}).\nNext step: {step}"),
        name=coop.name,
        stage=stage_label(coop.stage, visit.lang),
        date=when,
        step=next_step(coop, visit.lang),
    )
    if not checklist(coop.stage):
        return text
    missing = len(missing_documents(coop))
    return "\n".join([text, visit.t(N_("Documents missing: {m}."), m=missing)])


def _has_checklist(visit: Visit) -> bool:
    coop = visit.person.cooperative if visit.person is not None else None
    return coop is not None and bool(checklist(coop.stage))


SCREENS = [
    Screen(
        "balances",
        body=_balances,
        choices=(Choice(N_("Share-out if today"), "share_today"),),
        guarded=True,
    ),
    Screen("share_today", body=_share_today, guarded=True, sms=True),
    Screen("meeting", body=_meeting, sms=True),
    Screen(
        "trainings",
        body=_trainings,
        choices=(Choice(N_("Learn a trade"), "tvet_start", show=_in_vsla),),
        sms=True,
    ),
    Screen(
        "cooperative",
        body=_cooperative,
        choices=(Choice(N_("Documents"), "coop_docs", show=_has_checklist),),
        sms=True,
    ),
]
