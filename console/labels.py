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
    # languages, each in its own words
    "rw": N_("Kinyarwanda"),
    "en": N_("English"),
    "fr": N_("French"),
}
