"""Home: the welcome for someone unknown, "who is calling?" on a shared phone, the main menu by
role, help and language."""

from __future__ import annotations

from locales import N_
from menus.engine import Again, Choice, Go, Item, Screen, Step, Visit, resume_for
from menus.journeys.books import holds_office
from menus.journeys.join import accepted, pending
from models import Role
from services.pin_resets import phone_change_for

LANGUAGES = [Item("Kinyarwanda", "rw"), Item("English", "en"), Item("Francais", "fr")]


def _home(visit: Visit) -> Step:
    if visit.person is None and len(visit.people) > 1:
        return Go("who")
    if visit.person is None:
        moving = phone_change_for(visit.db, visit.phone, visit.now)
        if moving is not None:  # in the language of the member moving to this number
            visit.set_language(moving.person.language)
            return Go("phone_code")
        return Go("join_status" if pending(visit) is not None else "welcome")
    return Go("join_accepted" if accepted(visit) is not None else "menu")


def _names(visit: Visit) -> list[Item]:
    """First names only: nothing else about anyone is shown before their PIN."""
    return [Item(person.first_name, person.id) for person in visit.people]


def _i_am(visit: Visit, person_id: int) -> Step:
    person = next((p for p in visit.people if p.id == person_id), None)
    if person is None:  # removed from the phone since the list was shown
        return Again()
    visit.choose(person)
    return resume_for(visit, person)


def _role(role: Role):  # type: ignore[no-untyped-def]
    return lambda visit: visit.person is not None and visit.person.has_role(role)


def _in_vsla(visit: Visit) -> bool:
    return visit.person is not None and visit.person.vsla_id is not None


def _in_cooperative(visit: Visit) -> bool:
    return visit.person is not None and visit.person.cooperative_id is not None


def _has_pin(visit: Visit) -> bool:
    return visit.person is not None and bool(visit.person.pin_hash)


def _choose_language(visit: Visit, lang: str) -> Step:
    visit.set_language(lang)
    return Go("language_done", replace=True)


SCREENS = [
    Screen("home", redirect=_home),
    Screen(
        "welcome",
        text=N_("Welcome to Ikimina: savings groups, trainings and cooperatives on your phone."),
        choices=(
            Choice(N_("Ask to join a savings group"), "join_name"),
            Choice(N_("Help"), "help"),
            Choice(N_("Language"), "language"),
        ),
        root=True,
    ),
    # Who is calling, on a phone several people share. Shown before anyone is known, in the
    # language every one of them reads, else in Kinyarwanda (the default, which the whole
    # household reads): the screen is only first names, and each person's own language
    # takes over once they choose.
    Screen(
        "who", text=N_("Who is calling? Choose your name:"), items=_names, pick=_i_am, root=True
    ),
    Screen(
        "menu",
        text=N_("Ikimina. Choose:"),
        choices=(
            Choice(N_("My savings"), "balances", show=_in_vsla),
            Choice(N_("Next meeting"), "meeting", show=_in_vsla),
            Choice(N_("Group books"), "bk_menu", show=holds_office),
            Choice(N_("My trainings"), "trainings"),
            Choice(N_("My cooperative"), "cooperative", show=_in_cooperative),
            Choice(N_("Report absence"), "absence_pick", show=_role(Role.TRAINER)),
            Choice(N_("Field follow-up"), "fo_start", show=_role(Role.FIELD_OFFICER)),
            Choice(N_("Cooperative history"), "coop_history", show=_role(Role.LEADER)),
            Choice(N_("Language"), "language"),
            Choice(N_("Change PIN"), "pin_change", show=_has_pin),
            Choice(N_("Change phone number"), "phone_new", show=_has_pin),
            Choice(N_("Help"), "help"),
        ),
        root=True,
    ),
    Screen(
        "help",
        text=N_("Help line: {phone}. Call us, we will help you. Dial {ussd} to come back here."),
        values=lambda visit: {
            "phone": visit.settings.help_phone,
            "ussd": visit.settings.ussd_service_code,
        },
        end=True,
    ),
    Screen(
        "language",
        text=N_("Choose your language:"),
        items=lambda visit: LANGUAGES,
        pick=_choose_language,
    ),
    Screen("language_done", text=N_("Your language is changed.")),
]
