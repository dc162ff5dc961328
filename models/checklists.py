"""What a cooperative gathers at each stage to pass to the next, declared as data.

The list follows the RCA's rules (it changes with a law, not with a click) and its labels
need a translator's review like the stage labels, so it lives here and in the `models`
catalogue; which documents a cooperative has handed in is a table (`CooperativeDocument`).
"""

from __future__ import annotations

from dataclasses import dataclass

from locales import N_
from models.cooperatives import Cooperative
from models.enums import Stage


@dataclass(frozen=True)
class Document:
    key: str  # stored in cooperative_documents.document
    label: str  # msgid (models catalogue), at most 30 characters in every language


#: What to gather at each stage to pass to NEXT_STAGE[stage]; other stages: nothing.
CHECKLISTS: dict[Stage, tuple[Document, ...]] = {
    Stage.FORMED: (
        Document("statutes", N_("Signed statutes")),
        Document("founding_minutes", N_("Founding assembly minutes")),
        Document("member_list", N_("Members and ID numbers")),
        Document("share_receipt", N_("Bank slip for shares")),
    ),
    Stage.SECTOR_APPROVED: (
        Document("sector_letter", N_("Sector's letter")),
        Document("application_letter", N_("Application letter")),
        Document("business_plan", N_("Business plan")),
    ),
    Stage.DISTRICT_APPROVED: (
        Document("district_letter", N_("District's letter")),
        Document("rca_form", N_("Registration form")),
        Document("fee_receipt", N_("Registration fee receipt")),
    ),
}


def checklist(stage: Stage) -> tuple[Document, ...]:
    """The documents to gather at `stage` (empty for most stages)."""
    return CHECKLISTS.get(stage, ())


def missing(cooperative: Cooperative, have: set[str]) -> list[Document]:
    """The documents of the cooperative's current stage not in `have` (keys handed in)."""
    return [doc for doc in checklist(cooperative.stage) if doc.key not in have]
