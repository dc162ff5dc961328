"""The PIN in front of balances: choose a first one, enter it, change it; lock after wrong tries;
a forgotten one reset with a one-time code.

No PIN is ever kept in the session: confirming a new PIN compares it with the input Africa's
Talking sends back in `text`, found by its position (`pin_at`). A new PIN is saved only after one
of: the current PIN (`pin_ok`), the proof for a first PIN, or a reset code (`proof_ok`); the
proofs and codes are checked by `services.pin_resets`.
"""

from __future__ import annotations

from locales import N_
from locales.formatting import format_when
from menus.engine import Again, Choice, Go, Screen, Step, Visit
from models import ResetPurpose
from models.pins import PinProblem, check_pin, locked_until, pin_problem, set_pin
from services.outbox import queue_sms
from services.pin_resets import (
    NO_PROOF,
    ResetError,
    first_pin_proof,
    live_code,
    reset_by_member,
    reset_code,
    reset_done,
)

PROBLEMS = {
    PinProblem.FORMAT: N_("A PIN is 4 digits. Try again."),
    PinProblem.TRIVIAL: N_("That PIN is too easy to guess. Choose another."),
    PinProblem.PHONE: N_("Do not use the end of your phone number. Choose another."),
}
LOCK_SMS = N_(
    "Ikimina: 3 wrong PINs. Your balances are locked until {until}. "
    "If it was not you, call {phone}."
)


def _gate(visit: Visit) -> Step:
    """Where a person goes before a screen behind the PIN."""
    person = visit.person
    if person is None:
        return Go("home")
    if locked_until(person, visit.now) is not None:
        return Go("pin_locked")
    return Go("pin_enter" if person.pin_hash else "pin_proof")


def _may_choose(visit: Visit) -> bool:
    """A new PIN only after the current one, the first-PIN proof or a reset code."""
    return bool(visit.data.get("pin_ok") or visit.data.get("proof_ok"))


def _enter(visit: Visit, pin: str) -> Step:
    person, settings = visit.person, visit.settings
    assert person is not None
    result = check_pin(
        person,
        pin,
        visit.now,
        max_failures=settings.pin_max_failures,
        lock_hours=settings.pin_lock_hours,
        pepper=settings.pin_pepper,
    )
    if result.ok:
        return Go(visit.data.get("after_pin", "home"), data={"pin_ok": True}, replace=True)
    if result.just_locked and result.locked_until is not None:
        until = format_when(result.locked_until, visit.lang, settings.tz)
        queue_sms(
            visit.db,
            settings,
            person.phone,
            visit.t(LOCK_SMS, until=until, phone=settings.help_phone),
            person=person,
            kind="pin_lock",
            dedupe_key=f"pin-lock:{person.id}:{result.locked_until.isoformat()}",
        )
    if result.locked_until is not None:
        return Go("pin_locked", replace=True)
    return Again(N_("Wrong PIN. Tries left: {n}."), {"n": result.tries_left})


def _new(visit: Visit, pin: str) -> Step:
    assert visit.person is not None
    if not _may_choose(visit):
        return Go("pin_gate", replace=True)
    problem = pin_problem(pin, visit.person.phone)
    if problem is not None:
        return Again(PROBLEMS[problem])
    return Go("pin_confirm", data={"pin_at": visit.position})


def _confirm(visit: Visit, pin: str) -> Step:
    assert visit.person is not None
    if not _may_choose(visit):
        return Go("pin_gate", replace=True)
    chosen = visit.inputs[visit.data["pin_at"]]
    if pin != chosen:
        return Go("pin_new", replace=True, notice=N_("The two PINs differ. Choose again."))
    set_pin(visit.person, pin, pepper=visit.settings.pin_pepper)
    if visit.data.get("reset"):
        reset_done(visit.db, visit.settings, visit.person, visit.now)
    after = visit.data.get("after_pin", "home")
    notice = "" if after == "pin_changed" else N_("Your PIN is saved.")
    return Go(after, data={"pin_ok": True}, replace=True, notice=notice)


def _change(visit: Visit) -> Step:
    return Go("pin_new", data={"after_pin": "pin_changed"})


def _proof(visit: Visit, proof: str) -> Step:
    """The first PIN: the last 4 digits of the national ID, or the record-keeper's code."""
    assert visit.person is not None
    try:
        first_pin_proof(visit.db, visit.settings, visit.person, proof, visit.now)
    except ResetError as error:
        return Again(error.message, error.values)
    return Go("pin_new", data={"proof_ok": True}, replace=True)


def _forgot(visit: Visit) -> Step:
    """A code already out (asked by the chairperson or staff): type it; else the ID digits."""
    person = visit.person
    if person is None:
        return Go("home")
    if live_code(visit.db, person, ResetPurpose.RESET, visit.now) is not None:
        return Go("pin_code")
    return Go("pin_id" if person.id_last4_hash else "pin_no_proof")


def _id_digits(visit: Visit, digits: str) -> Step:
    assert visit.person is not None
    try:
        reset_by_member(visit.db, visit.settings, visit.person, digits, visit.now)
    except ResetError as error:
        return Again(error.message, error.values)
    return Go("pin_code", replace=True, notice=N_("We sent you a code by SMS."))


def _code(visit: Visit, code: str) -> Step:
    assert visit.person is not None
    taken = reset_code(visit.db, visit.settings, visit.person, code, visit.now)
    if taken.ok:
        return Go("pin_new", data={"proof_ok": True, "reset": True}, replace=True)
    if taken.tries_left:
        return Again(N_("Wrong code. Tries left: {n}."), {"n": taken.tries_left})
    return Go("pin_code_dead", replace=True)


def _enter_prompt(visit: Visit) -> str:
    """Before choosing a new PIN, the one asked for is the current one: say so."""
    if visit.data.get("after_pin") == "pin_change":
        return visit.t(N_("Enter your current PIN (4 digits):"))
    return visit.t(N_("Enter your PIN (4 digits):"))


def _locked_values(visit: Visit) -> dict[str, object]:
    person = visit.person
    until = locked_until(person, visit.now) if person is not None else None
    when = format_when(until, visit.lang, visit.settings.tz) if until else "-"
    return {"until": when, "phone": visit.settings.help_phone}


FORGOT = Choice(N_("Forgot PIN"), "pin_forgot")

SCREENS = [
    Screen("pin_gate", redirect=_gate),
    Screen("pin_enter", body=_enter_prompt, entry=_enter, choices=(FORGOT,), secret=True),
    Screen(
        "pin_proof",
        text=N_(
            "To choose your PIN, type the last 4 digits of your national ID, or the code "
            "your group's record-keeper gave you:"
        ),
        entry=_proof,
        secret=True,
    ),
    Screen("pin_forgot", redirect=_forgot),
    Screen(
        "pin_id",
        text=N_("To reset your PIN, type the last 4 digits of your national ID:"),
        entry=_id_digits,
        secret=True,
    ),
    Screen(
        "pin_code",
        text=N_("Type the code of 6 digits we sent you by SMS:"),
        entry=_code,
        secret=True,
    ),
    Screen(
        "pin_code_dead",
        text=N_("This code no longer works. Choose Forgot PIN again for a new one."),
        end=True,
    ),
    Screen(
        "pin_no_proof",
        text=NO_PROOF,
        values=lambda visit: {"phone": visit.settings.help_phone},
        end=True,
    ),
    Screen(
        "pin_new",
        text=N_("Choose a new PIN of 4 digits (not your MoMo PIN):"),
        entry=_new,
        secret=True,
    ),
    Screen("pin_confirm", text=N_("Enter the new PIN again:"), entry=_confirm, secret=True),
    Screen(
        "pin_locked",
        text=N_("Your PIN is locked until {until}. To unlock it, call {phone}."),
        values=_locked_values,
        choices=(FORGOT,),
        root=True,  # nothing to go back to: forgot the PIN, or hang up (fits 160 in rw)
    ),
    Screen("pin_change", redirect=_change, guarded=True),
    Screen("pin_changed", text=N_("Your new PIN is saved.")),
]
