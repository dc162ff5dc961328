"""Other people's part in a PIN or a number: the chairperson asks a PIN reset for a member, the
record-keeper gives a first-PIN code at the meeting, a field officer confirms a reset; and a
member moves to a new phone number (asked behind the PIN, confirmed from the new phone).

Every check and write is `services.pin_resets`; the session keeps ids only. The record-keeper's
code is shown once, on a screen that ends the session (an ended session's state is not kept).
"""

from __future__ import annotations

from typing import Any

from locales import N_
from locales.formatting import format_phone_local, short
from menus.engine import Again, Choice, Go, Item, Screen, Step, Visit
from models import Person, PinReset
from models.pin_resets import CODE_MINUTES
from services import pin_resets
from services.pin_resets import ResetError

CONFIRM = N_("Confirm")


def _member(visit: Visit) -> Person:
    member = visit.db.get(Person, visit.data["rpid"])
    assert member is not None
    return member


def _member_values(visit: Visit) -> dict[str, Any]:
    member = _member(visit)
    return {"name": short(member.name, 20), "number": format_phone_local(member.phone)}


def _find(goto: str):  # type: ignore[no-untyped-def]
    def find(visit: Visit, raw: str) -> Step:
        assert visit.person is not None
        try:
            member = pin_resets.group_member(visit.db, visit.person, raw)
        except ResetError as error:
            return Again(error.message, error.values)
        return Go(goto, data={"rpid": member.id})

    return find


def _ask_reset(visit: Visit) -> Step:
    assert visit.person is not None
    try:
        pin_resets.reset_by_chair(visit.db, visit.settings, _member(visit), visit.person, visit.now)
    except ResetError as error:
        return Again(error.message, error.values)
    return Go("bk_reset_asked", replace=True)


def _first_code(visit: Visit) -> Step:
    assert visit.person is not None
    try:
        code = pin_resets.meeting_code(
            visit.db, visit.settings, _member(visit), visit.person, visit.now
        )
    except ResetError as error:
        return Again(error.message, error.values)
    return Go("bk_first_code", data={"code": code}, replace=True)


# -- the field officer's confirmation ------------------------------------------------------


def _reset(visit: Visit) -> PinReset:
    reset = visit.db.get(PinReset, visit.data["reset_id"])
    assert reset is not None
    return reset


def _reset_items(visit: Visit) -> list[Item]:
    assert visit.person is not None and visit.person.district_id is not None
    return [
        Item(f"{short(r.person.name, 20)} {format_phone_local(r.person.phone)}", r.id)
        for r in pin_resets.waiting_in(visit.db, visit.person.district_id)
    ]


def _reset_values(visit: Visit) -> dict[str, Any]:
    reset = _reset(visit)
    member = reset.person
    return {
        "name": short(member.name, 16),
        "number": format_phone_local(member.phone),
        "by": short(reset.asked_by.name if reset.asked_by else "-", 14),
    }


def _decide(approve: bool):  # type: ignore[no-untyped-def]
    def decide(visit: Visit) -> Step:
        assert visit.person is not None
        try:
            pin_resets.confirm_reset(
                visit.db, visit.settings, _reset(visit), visit.person, visit.now, approve=approve
            )
        except ResetError as error:
            return Again(error.message, error.values)
        return Go("fo_reset_sent" if approve else "fo_reset_refused", replace=True)

    return decide


# -- a new phone number --------------------------------------------------------------------


def _new_number(visit: Visit, raw: str) -> Step:
    assert visit.person is not None
    try:
        reset = pin_resets.ask_phone_change(visit.db, visit.settings, visit.person, raw, visit.now)
    except ResetError as error:
        return Again(error.message, error.values)
    return Go("phone_sent", data={"new_phone": reset.new_phone}, replace=True)


def _pending(visit: Visit) -> PinReset | None:
    return pin_resets.phone_change_for(visit.db, visit.phone, visit.now)


def _phone_code(visit: Visit, code: str) -> Step:
    reset = _pending(visit)
    if reset is None:
        return Go("pin_code_dead", replace=True)
    try:
        taken = pin_resets.confirm_phone_change(visit.db, visit.settings, reset, code, visit.now)
    except ResetError as error:
        return Again(error.message, error.values)
    if taken.ok:
        return Go("phone_done", data={"name": short(reset.person.name, 20)}, replace=True)
    if taken.tries_left:
        return Again(N_("Wrong code. Tries left: {n}."), {"n": taken.tries_left})
    return Go("pin_code_dead", replace=True)


def _phone_code_values(visit: Visit) -> dict[str, Any]:
    reset = _pending(visit)
    return {"name": short(reset.person.name.split(" ")[0], 15) if reset else "-"}


SCREENS = [
    # the chairperson, from Group books
    Screen(
        "bk_reset",
        text=N_("PIN reset for a member. Type their phone number:"),
        entry=_find("bk_reset_confirm"),
        guarded=True,
    ),
    Screen(
        "bk_reset_confirm",
        text=N_("Ask a PIN reset for {name} {number}? A field officer must confirm it."),
        values=_member_values,
        choices=(Choice(CONFIRM, _ask_reset),),
        guarded=True,
    ),
    Screen(
        "bk_reset_asked",
        text=N_("Asked. The field officer gets an SMS; {name} gets a code once they confirm."),
        values=_member_values,
        end=True,
    ),
    # the record-keeper, from Group books
    Screen(
        "bk_first",
        text=N_("First PIN code. Type the member's phone number:"),
        entry=_find("bk_first_confirm"),
        guarded=True,
    ),
    Screen(
        "bk_first_confirm",
        text=N_("Make a first-PIN code for {name} {number}? Read it to them only."),
        values=_member_values,
        choices=(Choice(CONFIRM, _first_code),),
        guarded=True,
    ),
    Screen(
        "bk_first_code",
        text=N_(
            "Code for {name}: {code}. It works once, for {minutes} minutes: they dial, "
            "choose My savings and type it."
        ),
        values=lambda visit: {
            **_member_values(visit),
            "code": visit.data["code"],
            "minutes": CODE_MINUTES,
        },
        end=True,
    ),
    # the field officer, from Field follow-up
    Screen(
        "fo_resets",
        text=N_("PIN resets to confirm:"),
        items=_reset_items,
        pick=lambda visit, id_: Go("fo_reset", data={"reset_id": id_}),
    ),
    Screen(
        "fo_reset",
        text=N_("{by} asks a PIN reset for {name} {number}. Call them first."),
        values=_reset_values,
        choices=(
            Choice(N_("Confirm: send the code"), _decide(True)),
            Choice(N_("Refuse"), _decide(False)),
        ),
    ),
    Screen(
        "fo_reset_sent",
        text=N_("Confirmed. {name} gets a code by SMS."),
        values=_reset_values,
        end=True,
    ),
    Screen("fo_reset_refused", text=N_("Refused. No code is sent."), end=True),
    # a new phone number
    Screen(
        "phone_new",
        text=N_("Type your new phone number:"),
        entry=_new_number,
        guarded=True,
    ),
    Screen(
        "phone_sent",
        text=N_(
            "We sent a code to {number}. Within {minutes} minutes, dial {ussd} from that phone "
            "and type it."
        ),
        values=lambda visit: {
            "number": format_phone_local(visit.data.get("new_phone") or ""),
            "minutes": CODE_MINUTES,
            "ussd": visit.settings.ussd_service_code,
        },
        end=True,
    ),
    Screen(
        "phone_code",
        text=N_("To make this number {name}'s, type the code we sent to it by SMS:"),
        values=_phone_code_values,
        entry=_phone_code,
        secret=True,
        root=True,
    ),
    Screen(
        "phone_done",
        text=N_("Done: this number is now {name}'s. Dial {ussd} again to use it."),
        values=lambda visit: {
            "name": visit.data.get("name", "-"),
            "ussd": visit.settings.ussd_service_code,
        },
        end=True,
    ),
]
