"""A field officer's follow-up, for their district: absence cases (justify, replace from the
trade's waiting list, drop), cooperatives (a step they saw, documents handed in), join requests
to call back and enrol, and the trades' waiting lists.

`visit.data` keeps ids only: every write goes through a service that checks again who may do it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from locales import N_
from locales.formatting import (
    format_date,
    format_phone_local,
    format_weekday_date,
    short,
    to_local,
)
from menus.engine import Again, Choice, Go, Item, Screen, Step, Visit
from models import (
    NEXT_STAGE,
    Absence,
    AbsenceCase,
    AbsenceReason,
    Cooperative,
    District,
    JoinRequest,
    JoinStatus,
    Person,
    Role,
    Sector,
    Stage,
    TvetRequest,
    Vsla,
)
from models.at_risk import case_days
from models.checklists import checklist
from models.registration import stage_label
from models.trades import trade_label
from models.tvet import REASON_LABELS
from services.attendance import CaseError, close_justified, open_cases_in
from services.joins import OPEN as OPEN_JOINS
from services.joins import JoinError, enrol, mark_contacted
from services.pin_resets import ResetError, record_id_digits, waiting_in
from services.registration import (
    BadStageChange,
    documents_in,
    members_told,
    missing_documents,
    record_document,
    record_witnessed_step,
    witnessed_next,
)
from services.tvet import drop, replace, waiting_by_trade, waiting_for

#: Stages that end a registration: not followed up any more.
FINAL = (Stage.CERTIFIED, Stage.REJECTED)
#: Longest list a screen pages through.
LIST_MAX = 90


def today(visit: Visit) -> date:
    return visit.now.astimezone(ZoneInfo(visit.settings.tz)).date()


def _district(visit: Visit) -> int:
    assert visit.person is not None and visit.person.district_id is not None
    return visit.person.district_id


def _district_name(visit: Visit) -> str:
    district = visit.db.get(District, _district(visit))
    return district.name if district else "-"


def _is_officer(visit: Visit) -> bool:
    return visit.person is not None and visit.person.has_role(Role.FIELD_OFFICER)


def _start(visit: Visit) -> Step:
    if visit.person is None or visit.person.district_id is None:
        return Go("fo_no_district")
    return Go("fo_menu")


# --- The menu -----------------------------------------------------------------------------


def _coops(visit: Visit) -> list[Cooperative]:
    query = (
        select(Cooperative)
        .where(Cooperative.district_id == _district(visit), Cooperative.stage.not_in(FINAL))
        .order_by(Cooperative.stage_date, Cooperative.id)
    )
    return list(visit.db.scalars(query.limit(LIST_MAX)))


def _joins(visit: Visit) -> list[JoinRequest]:
    query = (
        select(JoinRequest)
        .where(JoinRequest.district_id == _district(visit), JoinRequest.status.in_(OPEN_JOINS))
        .order_by(JoinRequest.created_at, JoinRequest.id)
    )
    return list(visit.db.scalars(query.limit(LIST_MAX)))


def _menu_items(visit: Visit) -> list[Item]:
    district = _district(visit)
    waiting = sum(n for _trade, n in waiting_by_trade(visit.db, district))
    counts = (
        (N_("Absence cases ({n})"), len(open_cases_in(visit.db, district)), "fo_cases"),
        (N_("Cooperatives ({n})"), len(_coops(visit)), "fo_coops"),
        (N_("Join requests ({n})"), len(_joins(visit)), "fo_joins"),
        (N_("Trade waiting lists ({n})"), waiting, "fo_tvet"),
        (N_("PIN resets ({n})"), len(waiting_in(visit.db, district)), "fo_resets"),
    )
    shown = [c for c in counts if c[2] != "fo_resets" or c[1]]  # resets only when some wait
    return [Item(visit.t(label, n=n), key) for label, n, key in shown]


# --- Absence cases ------------------------------------------------------------------------


def _case(visit: Visit) -> AbsenceCase:
    case = visit.db.get(AbsenceCase, visit.data["case_id"])
    assert case is not None
    return case


def _case_items(visit: Visit) -> list[Item]:
    items = []
    for case in open_cases_in(visit.db, _district(visit))[:LIST_MAX]:
        trainee = case.trainee
        label = visit.t(
            N_("{code} {name}, {vtc}, {n} days"),
            code=trainee.code,
            name=short(trainee.person.name, 14),
            vtc=short(trainee.vtc.name, 14),
            n=len(case_days(case)),
        )
        items.append(Item(label, case.id))
    return items


def _no_cases(visit: Visit) -> str:
    if open_cases_in(visit.db, _district(visit)):
        return visit.t(N_("Absence cases, oldest first:"))
    return visit.t(N_("No open absence case in {district}."), district=_district_name(visit))


def _reasons(visit: Visit, case: AbsenceCase) -> str:
    days = case_days(case)
    counts = Counter(
        visit.db.scalars(
            select(Absence.reason).where(
                Absence.trainee_id == case.trainee_id, Absence.day.in_(days)
            )
        )
    )
    if not counts:
        return "-"
    reason, n = counts.most_common(1)[0]
    return f"{visit.t(REASON_LABELS[reason])} {n}"


def _case_values(visit: Visit) -> dict[str, Any]:
    case = _case(visit)
    trainee, days = case.trainee, case_days(case)
    return {
        "code": trainee.code,
        "name": short(trainee.person.name, 20),
        "phone": format_phone_local(trainee.person.phone),
        "n": len(days),
        "date": format_date(days[0]) if days else "-",
        "reasons": _reasons(visit, case),
    }


def _open_case(visit: Visit, case_id: int) -> Step:
    return Go("fo_case", data={"case_id": case_id})


def _refused(screen: str, message: str) -> Step:
    return Go(screen, replace=True, notice=message)


def _reason_items(visit: Visit) -> list[Item]:
    return [Item(visit.t(label), reason.value) for reason, label in REASON_LABELS.items()]


def _justify_values(visit: Visit) -> dict[str, Any]:
    reason = AbsenceReason(visit.data["reason"])
    return {**_case_values(visit), "reason": visit.t(REASON_LABELS[reason])}


def _justify(visit: Visit) -> Step:
    assert visit.person is not None
    values = _case_values(visit)
    try:
        close_justified(
            visit.db,
            visit.data["case_id"],
            AbsenceReason(visit.data["reason"]),
            by=visit.person,
            now=visit.now,
        )
    except CaseError:
        return _refused("fo_cases", N_("This case is already closed."))
    return Go("fo_justified", data={"name": values["name"]}, replace=True)


def _replace_body(visit: Visit) -> str:
    case = _case(visit)
    values = {
        "trade": short(trade_label(case.trainee.trade, visit.lang), 20),
        "district": _district_name(visit),
    }
    if _waiting(visit):
        return visit.t(N_("Waiting for {trade} in {district}, oldest first:"), **values)
    return visit.t(N_("Nobody is waiting for {trade} in {district}."), **values)


def _waiting(visit: Visit) -> list[TvetRequest]:
    trainee = _case(visit).trainee
    district = trainee.vtc.district_id
    return waiting_for(visit.db, district, trainee.trade) if district is not None else []


def _waiting_items(visit: Visit) -> list[Item]:
    return [
        Item(f"{short(r.person.name, 20)}, {format_date(to_local(r.requested_at).date())}", r.id)
        for r in _waiting(visit)
    ]


def _nobody_waiting(visit: Visit) -> bool:
    return not _waiting(visit)


def _days_ahead(visit: Visit) -> list[Item]:
    first = today(visit)
    days = [first + timedelta(days=n) for n in range(1, 8)]
    return [Item(format_weekday_date(day, visit.lang), day.isoformat()) for day in days]


def _newcomer(visit: Visit) -> Person | None:
    request = visit.db.get(TvetRequest, visit.data.get("request_id") or 0)
    return request.person if request else None


def _replace_values(visit: Visit) -> dict[str, Any]:
    newcomer = _newcomer(visit)
    day = visit.data.get("day")
    return {
        "old": short(_case(visit).trainee.person.name, 20),
        "new": short(newcomer.name, 20) if newcomer else "-",
        "name": short(newcomer.name, 20) if newcomer else "-",
        "day": format_weekday_date(date.fromisoformat(day), visit.lang) if day else "-",
    }


def _replace(visit: Visit) -> Step:
    try:
        done = replace(
            visit.db,
            visit.settings,
            visit.data["case_id"],
            visit.data["request_id"],
            starts_on=date.fromisoformat(visit.data["day"]),
            by=visit.person,
            now=visit.now,
        )
    except CaseError as error:
        return _refused("fo_cases", str(error))
    trainer = done.new.trainer
    data = {
        "new": short(done.new.person.name, 20),
        "code": done.new.code,
        "trainer": short(trainer.name, 20) if trainer else visit.settings.help_phone,
    }
    return Go("fo_replaced", data=data, replace=True)


def _drop(visit: Visit) -> Step:
    values = _case_values(visit)
    try:
        drop(visit.db, visit.settings, visit.data["case_id"], by=visit.person, now=visit.now)
    except CaseError as error:
        return _refused("fo_cases", str(error))
    return Go("fo_dropped", data={"name": values["name"]}, replace=True)


# --- Cooperatives -------------------------------------------------------------------------


def _coop(visit: Visit) -> Cooperative:
    coop = visit.db.get(Cooperative, visit.data["coop_id"])
    assert coop is not None
    return coop


def _days_at_stage(visit: Visit, coop: Cooperative) -> int:
    return (today(visit) - coop.stage_date).days if coop.stage_date else 0


def _coop_items(visit: Visit) -> list[Item]:
    return [
        Item(
            visit.t(
                N_("{coop}: {stage}, {n} days"),
                coop=short(coop.name, 16),
                stage=stage_label(coop.stage, visit.lang),
                n=_days_at_stage(visit, coop),
            ),
            coop.id,
        )
        for coop in _coops(visit)
    ]


def _coop_values(visit: Visit) -> dict[str, Any]:
    coop = _coop(visit)
    return {
        "coop": short(coop.name, 24),
        "stage": stage_label(coop.stage, visit.lang),
        "n": _days_at_stage(visit, coop),
        "m": len(missing_documents(coop)),
    }


def _step(visit: Visit) -> Step:
    return Go("fo_step_day" if witnessed_next(_coop(visit)) else "fo_step_staff")


def _next_stage_label(visit: Visit) -> str:
    coop = _coop(visit)
    stage = witnessed_next(coop)
    shown = stage or NEXT_STAGE.get(coop.stage)
    return stage_label(shown, visit.lang) if shown else "-"


def _days_back(visit: Visit) -> list[Item]:
    last = today(visit)
    days = [last - timedelta(days=n) for n in range(7)]
    return [Item(format_weekday_date(day, visit.lang), day.isoformat()) for day in days]


def _told(visit: Visit) -> int:
    coop = _coop(visit)
    return (
        visit.db.scalar(
            select(func.count(Person.id)).where(
                Person.cooperative_id == coop.id, Person.opted_out.is_(False)
            )
        )
        or 0
    )


def _step_values(visit: Visit) -> dict[str, Any]:
    day = visit.data.get("day")
    return {
        "coop": short(_coop(visit).name, 24),
        "stage": _next_stage_label(visit),
        "day": format_weekday_date(date.fromisoformat(day), visit.lang) if day else "-",
        "n": _told(visit),
        "phone": visit.settings.help_phone,
    }


def _record_step(visit: Visit) -> Step:
    assert visit.person is not None
    coop = _coop(visit)
    try:
        change = record_witnessed_step(
            visit.db,
            visit.settings,
            coop,
            on=date.fromisoformat(visit.data["day"]),
            today=today(visit),
            by=visit.person,
        )
    except BadStageChange:
        return _refused("fo_coops", N_("Nothing recorded: the stage has moved on."))
    return Go("fo_step_done", data={"told": members_told(visit.db, change)}, replace=True)


def _doc_lines(visit: Visit) -> list[tuple[str, str]]:
    person = visit.person
    coop = visit.db.get(Cooperative, visit.data.get("coop_id") or 0)
    if coop is None and person is not None:
        coop = person.cooperative
    if coop is None:
        return []
    have = documents_in(coop)
    lines = []
    for doc in checklist(coop.stage):
        status = N_("{doc}: received") if doc.key in have else N_("{doc}: missing")
        lines.append((visit.t(status, doc=visit.t(doc.label)), doc.key))
    return lines


def _docs_head(visit: Visit) -> str:
    coop = visit.db.get(Cooperative, visit.data.get("coop_id") or 0)
    if coop is None and visit.person is not None:
        coop = visit.person.cooperative
    if coop is None:
        return visit.t(N_("You are not in a cooperative yet."))
    if not checklist(coop.stage):
        return visit.t(N_("Nothing to hand in at this stage."))
    stage = NEXT_STAGE.get(coop.stage)
    head = visit.t(
        N_("Documents for the next step ({stage}):"),
        stage=stage_label(stage, visit.lang) if stage else "-",
    )
    if _officer_of_docs(visit):
        return head
    return "\n".join([head, *(line for line, _key in _doc_lines(visit))])


def _officer_of_docs(visit: Visit) -> bool:
    return bool(visit.data.get("coop_id")) and _is_officer(visit)


def _doc_items(visit: Visit) -> list[Item]:
    if not _officer_of_docs(visit):
        return []
    return [Item(line, key) for line, key in _doc_lines(visit)]


def _tick(visit: Visit, key: str) -> Step:
    try:
        added = record_document(visit.db, _coop(visit), key, on=today(visit), by=visit.person)
    except BadStageChange:
        return Again(N_("Nothing recorded: the stage has moved on."))
    return Again(N_("Marked received.") if added else N_("Already received."))


# --- Join requests ------------------------------------------------------------------------


def _join(visit: Visit) -> JoinRequest:
    join = visit.db.get(JoinRequest, visit.data["join_id"])
    assert join is not None
    return join


def _join_items(visit: Visit) -> list[Item]:
    return [Item(f"{short(j.name, 20)} {format_phone_local(j.phone)}", j.id) for j in _joins(visit)]


def _join_values(visit: Visit) -> dict[str, Any]:
    join = _join(visit)
    contacted = join.status is JoinStatus.CONTACTED
    return {
        "name": short(join.name, 20),
        "phone": format_phone_local(join.phone),
        "sector": join.sector.name if join.sector else "-",
        "date": format_date(to_local(join.created_at).date()),
        "status": visit.t(N_("We called them.")) if contacted else "",
    }


def _called(visit: Visit) -> Step:
    mark_contacted(_join(visit))
    return Again(N_("Marked as called."))


def _group_items(visit: Visit) -> list[Item]:
    join = _join(visit)
    query = select(Vsla).join(Sector, Sector.id == Vsla.sector_id).order_by(Vsla.name)
    if join.sector_id is not None:
        groups = list(visit.db.scalars(query.where(Vsla.sector_id == join.sector_id)))
    else:
        groups = []
    if not groups:
        groups = list(visit.db.scalars(query.where(Sector.district_id == _district(visit))))
    return [Item(short(g.name, 30), g.id) for g in groups[:LIST_MAX]]


def _join_group_values(visit: Visit) -> dict[str, Any]:
    group = visit.db.get(Vsla, visit.data.get("vsla_id") or 0)
    return {"name": short(_join(visit).name, 20), "group": short(group.name, 20) if group else "-"}


def _enrol(visit: Visit) -> Step:
    group = visit.db.get(Vsla, visit.data["vsla_id"])
    assert group is not None
    try:
        person = enrol(
            visit.db, visit.settings, _join(visit), group, by=visit.person, now=visit.now
        )
    except JoinError as error:
        return Again(error.message, error.values)
    if person.id_last4_hash or person.pin_hash:
        return Go("fo_join_done", replace=True)
    return Go("fo_join_id", data={"member_id": person.id}, replace=True)


def _join_id(visit: Visit, digits: str) -> Step:
    """The proof for the new member's first PIN: the last 4 digits of their national ID, asked
    on the call (hashed at once; the screen is secret, so never in the hop log)."""
    member = visit.db.get(Person, visit.data["member_id"])
    assert member is not None
    try:
        record_id_digits(visit.settings, member, digits)
    except ResetError as error:
        return Again(error.message, error.values)
    return Go("fo_join_done", replace=True)


# --- Trade waiting lists ------------------------------------------------------------------


def _trade_items(visit: Visit) -> list[Item]:
    return [
        Item(f"{short(trade_label(trade, visit.lang), 20)} ({n})", trade)
        for trade, n in waiting_by_trade(visit.db, _district(visit))
    ]


def _trade_list(visit: Visit) -> str:
    trade = visit.data["trade"]
    head = visit.t(
        N_("{trade}, {district}, oldest first:"),
        trade=short(trade_label(trade, visit.lang), 20),
        district=_district_name(visit),
    )
    lines = [
        f"{short(r.person.name, 20)} {format_phone_local(r.person.phone)} "
        f"{format_date(to_local(r.requested_at).date())}"
        for r in waiting_for(visit.db, _district(visit), trade)
    ]
    return "\n".join([head, *lines])


CONFIRM = N_("Confirm")

SCREENS = [
    Screen("fo_start", redirect=_start),
    Screen(
        "fo_no_district",
        text=N_("Your district is not set. Call {phone}."),
        values=lambda visit: {"phone": visit.settings.help_phone},
        end=True,
    ),
    Screen(
        "fo_menu",
        text=N_("Follow-up, {district}:"),
        values=lambda visit: {"district": _district_name(visit)},
        items=_menu_items,
        pick=lambda visit, key: Go(key),
    ),
    # absence cases
    Screen("fo_cases", body=_no_cases, items=_case_items, pick=_open_case),
    Screen(
        "fo_case",
        text=N_("{code} {name} {phone}\nAbsent {n} days from {date}: {reasons}"),
        values=_case_values,
        choices=(Choice(N_("Justified"), "fo_justify"), Choice(N_("Replace"), "fo_replace")),
    ),
    Screen(
        "fo_justify",
        text=N_("Why is the absence justified?"),
        items=_reason_items,
        pick=lambda visit, reason: Go("fo_justify_confirm", data={"reason": reason}),
    ),
    Screen(
        "fo_justify_confirm",
        text=N_("Close the case of {code} {name} as justified ({reason})? They stay in training."),
        values=_justify_values,
        choices=(Choice(CONFIRM, _justify),),
    ),
    Screen(
        "fo_justified",
        text=N_("Case closed. {name} stays in training."),
        values=lambda visit: {"name": visit.data["name"]},
        end=True,
    ),
    Screen(
        "fo_replace",
        body=_replace_body,
        items=_waiting_items,
        pick=lambda visit, id_: Go("fo_replace_day", data={"request_id": id_}),
        choices=(
            Choice(N_("Drop without a replacement"), "fo_drop_confirm", show=_nobody_waiting),
        ),
    ),
    Screen(
        "fo_replace_day",
        text=N_("When does {name} start?"),
        values=_replace_values,
        items=_days_ahead,
        pick=lambda visit, day: Go("fo_replace_confirm", data={"day": day}),
    ),
    Screen(
        "fo_replace_confirm",
        text=N_("{old} leaves; {new} starts {day}. SMS to both and to the trainer."),
        values=_replace_values,
        choices=(Choice(CONFIRM, _replace),),
    ),
    Screen(
        "fo_replaced",
        text=N_("{new} is trainee {code}. SMS sent to them and to {trainer}."),
        values=lambda visit: {k: visit.data[k] for k in ("new", "code", "trainer")},
        end=True,
    ),
    Screen(
        "fo_drop_confirm",
        text=N_("Drop {code} {name} without a replacement? They leave the lists."),
        values=_case_values,
        choices=(Choice(CONFIRM, _drop),),
    ),
    Screen(
        "fo_dropped",
        text=N_("Case closed. {name} left the training."),
        values=lambda visit: {"name": visit.data["name"]},
        end=True,
    ),
    # cooperatives
    Screen(
        "fo_coops",
        text=N_("Cooperatives, longest at their stage first:"),
        items=_coop_items,
        pick=lambda visit, id_: Go("fo_coop", data={"coop_id": id_}),
    ),
    Screen(
        "fo_coop",
        text=N_("{coop}: {stage}, {n} days. Documents missing: {m}."),
        values=_coop_values,
        choices=(Choice(N_("Record a step I saw"), _step), Choice(N_("Documents"), "coop_docs")),
    ),
    Screen(
        "fo_step_staff",
        text=N_("The next step, {stage}, is recorded by staff after the decision. Help: {phone}"),
        values=_step_values,
    ),
    Screen(
        "fo_step_day",
        text=N_("Next step: {stage}. Which day did it happen?"),
        values=_step_values,
        items=_days_back,
        pick=lambda visit, day: Go("fo_step_confirm", data={"day": day}),
    ),
    Screen(
        "fo_step_confirm",
        text=N_("Record {coop}: {stage} on {day}? All {n} members get an SMS."),
        values=_step_values,
        choices=(Choice(CONFIRM, _record_step),),
    ),
    Screen(
        "fo_step_done",
        text=N_("Recorded. SMS to {n} members."),
        values=lambda visit: {"n": visit.data["told"]},
        end=True,
    ),
    Screen("coop_docs", body=_docs_head, items=_doc_items, pick=_tick, sms=True),
    # join requests
    Screen(
        "fo_joins",
        text=N_("Join requests, oldest first:"),
        items=_join_items,
        pick=lambda visit, id_: Go("fo_join", data={"join_id": id_}),
    ),
    Screen(
        "fo_join",
        text=N_("{name}, {phone}\n{sector}, asked on {date}. {status}"),
        values=_join_values,
        choices=(
            Choice(N_("I called them"), _called),
            Choice(N_("Enrol in a group"), "fo_join_group"),
        ),
    ),
    Screen(
        "fo_join_group",
        text=N_("Choose the group of {name}:"),
        values=_join_group_values,
        items=_group_items,
        pick=lambda visit, id_: Go("fo_join_confirm", data={"vsla_id": id_}),
    ),
    Screen(
        "fo_join_confirm",
        text=N_("Enrol {name} in {group}? They get a welcome SMS."),
        values=_join_group_values,
        choices=(Choice(CONFIRM, _enrol),),
    ),
    Screen(
        "fo_join_id",
        text=N_("Enrolled. For {name}'s first PIN, type the last 4 digits of their ID:"),
        values=_join_group_values,
        entry=_join_id,
        choices=(Choice(N_("They have no ID"), "fo_join_done"),),
        secret=True,
    ),
    Screen(
        "fo_join_done",
        text=N_("{name} is now a member of {group}. Welcome SMS sent."),
        values=_join_group_values,
        end=True,
    ),
    # trade waiting lists
    Screen(
        "fo_tvet",
        text=N_("Trade waiting lists, {district}:"),
        values=lambda visit: {"district": _district_name(visit)},
        items=_trade_items,
        pick=lambda visit, trade: Go("fo_tvet_list", data={"trade": trade}),
    ),
    Screen("fo_tvet_list", body=_trade_list),
]
