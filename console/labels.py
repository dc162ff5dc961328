"""Words for the domain's fixed vocabularies, as staff read them (statuses, roles, languages).

Keyed by the enum value; where two vocabularies share a value (`failed`, `cancelled`, `staff`)
they share the word too. Cooperative stages have their own labels in models.registration.
"""

from __future__ import annotations

from locales import N_

LABELS: dict[str, str] = {
    # outbound SMS
    "queued": N_("Queued"),
    "sending": N_("Sending"),
    "sent": N_("Sent"),
    "delivered": N_("Delivered"),
    "failed": N_("Failed"),
    "review": N_("Needs review"),
    "cancelled": N_("Cancelled"),
    # inbound SMS
    "received": N_("Received"),
    "processed": N_("Processed"),
    # broadcasts
    "draft": N_("Draft"),
    "scheduled": N_("Scheduled"),
    "done": N_("Done"),
    # join requests
    "waiting": N_("Waiting"),
    "contacted": N_("Contacted"),
    "enrolled": N_("Enrolled"),
    # TVET waiting list
    "withdrawn": N_("Withdrawn"),
    # absence cases
    "open": N_("Open"),
    "replaced": N_("Replaced"),
    "justified": N_("Justified"),
    # trainees
    "active": N_("Active"),
    "at_risk": N_("At risk"),
    "dropped": N_("Dropped"),
    "graduated": N_("Graduated"),
    # people's roles and staff roles
    "member": N_("Member"),
    "leader": N_("Cooperative leader"),
    "trainer": N_("Trainer"),
    "field_officer": N_("Field officer"),
    "vtc_director": N_("VTC director"),
    "staff": N_("Staff"),
    "sector_official": N_("Sector official"),
    "district_official": N_("District official"),
    "admin": N_("Admin"),
    # USSD screens, as staff name them (never the internal ids)
    "home": N_("Start"),
    "welcome": N_("Welcome (new caller)"),
    "menu": N_("Main menu"),
    "help": N_("Help screen"),
    "language": N_("Choose language"),
    "language_done": N_("Language changed"),
    "balances": N_("Savings balances"),
    "meeting": N_("Next meeting screen"),
    "trainings": N_("Trainings screen"),
    "cooperative": N_("Cooperative status"),
    "coop_history": N_("Cooperative history screen"),
    "absence_pick": N_("Absence: choose trainee"),
    "absence_picked": N_("Absence: choose day"),
    "absence_confirm": N_("Absence: confirm"),
    "absence_done": N_("Absence recorded"),
    "join_name": N_("Join: name"),
    "join_district": N_("Join: district"),
    "join_sector": N_("Join: sector"),
    "join_confirm": N_("Join: confirm"),
    "join_done": N_("Join: done"),
    "pin_gate": N_("PIN check"),
    "pin_enter": N_("PIN: enter"),
    "pin_new": N_("PIN: choose a new one"),
    "pin_confirm": N_("PIN: repeat the new one"),
    "pin_locked": N_("PIN locked"),
    "pin_change": N_("PIN: change"),
    "pin_changed": N_("PIN changed"),
    "pin_proof": N_("PIN: proof for the first one"),
    "pin_id": N_("PIN reset: ID digits"),
    "pin_code": N_("PIN reset: code"),
    "pin_code_dead": N_("PIN reset: code no longer works"),
    "pin_no_proof": N_("PIN reset: no ID recorded"),
    "phone_new": N_("New phone number"),
    "phone_sent": N_("New phone number: code sent"),
    "phone_code": N_("New phone number: code"),
    "phone_done": N_("New phone number: done"),
    "resume": N_("Resume a dropped session"),
    "sms_sent": N_("Copy sent by SMS"),
    "sms_refused": N_("Copy refused (SMS stopped)"),
    "error": N_("Error apology"),
    "bad_phone": N_("Unreadable phone number"),
    "too_long": N_("Session too long"),
    # kinds of SMS sent
    "reply": N_("Reply"),
    "ussd_copy": N_("Copy of a USSD screen"),
    "pin_lock": N_("PIN lock warning"),
    "pin_reset": N_("PIN reset"),
    "pin_reset_confirm": N_("PIN reset to confirm"),
    "phone_changed": N_("Number changed"),
    # PIN resets (purpose, how confirmed, status)
    "first_pin": N_("First PIN"),
    "phone": N_("New phone number"),
    "reset": N_("PIN reset"),
    "self": N_("the member, with the ID digits"),
    "staff_id": N_("staff, with the ID digits"),
    "pin": N_("the member's PIN"),
    "secretary": N_("the record-keeper, at the meeting"),
    "id": N_("the ID digits"),
    "used": N_("Used"),
    "expired": N_("Expired"),
    "locked": N_("Locked"),
    "refused": N_("Refused"),
    "alert": N_("Absence alert"),
    "reminder": N_("Reminder"),
    "broadcast": N_("Broadcast"),
    # languages, each in its own words
    "rw": N_("Kinyarwanda"),
    "en": N_("English"),
    "fr": N_("French"),
}
