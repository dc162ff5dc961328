"""Cooperative registration in plain words: each stage's name and the next step to take."""

from __future__ import annotations

from collections.abc import Mapping

from locales import N_, translate
from models.cooperatives import Cooperative
from models.enums import Stage
from models.texts import text_in

STAGE_LABELS: dict[Stage, str] = {
    Stage.FORMED: N_("Formed"),
    Stage.SECTOR_SUBMITTED: N_("Submitted to sector"),
    Stage.SECTOR_APPROVED: N_("Approved by sector"),
    Stage.DISTRICT_SUBMITTED: N_("Submitted to district"),
    Stage.DISTRICT_SITE_VISIT: N_("District site visit"),
    Stage.DISTRICT_APPROVED: N_("Approved by district"),
    Stage.RCA_SUBMITTED: N_("Submitted to RCA"),
    Stage.CERTIFIED: N_("Certified"),
    Stage.REJECTED: N_("Rejected"),
}

#: Stages at which a cooperative waits on local leaders' offices: "sector" or "district".
WAITING_ON: dict[Stage, str] = {
    Stage.SECTOR_SUBMITTED: "sector",
    Stage.DISTRICT_SUBMITTED: "district",
    Stage.DISTRICT_SITE_VISIT: "district",
}

NEXT_STEPS: dict[Stage, str] = {
    Stage.FORMED: N_("Take your documents to the sector office."),
    Stage.SECTOR_SUBMITTED: N_("Wait for the sector's approval."),
    Stage.SECTOR_APPROVED: N_("Take the sector's letter and your documents to the district."),
    Stage.DISTRICT_SUBMITTED: N_("The district checks your documents, then visits your site."),
    Stage.DISTRICT_SITE_VISIT: N_("Be at your site for the district's visit."),
    Stage.DISTRICT_APPROVED: N_("Send your file to RCA for the certificate."),
    Stage.RCA_SUBMITTED: N_("Wait for the RCA certificate."),
    Stage.CERTIFIED: N_("Registered. Certificate no. {certificate}."),
    Stage.REJECTED: N_("Rejected: {reason}. Ask your field officer what to fix."),
}


#: The column each final stage needs filled in, and that no other stage may have.
STAGE_NEEDS: dict[Stage, str] = {
    Stage.CERTIFIED: "certificate_no",
    Stage.REJECTED: "rejection_reason",
}


def stage_problem(stage: Stage, fields: Mapping[str, object]) -> tuple[str, Stage | None] | None:
    """The first column wrong for a cooperative at `stage`: (column, None) when `stage` needs
    it and it is blank, (column, the stage that has it) when `stage` may not have it."""
    for needing, column in STAGE_NEEDS.items():
        if stage is needing and not fields.get(column):
            return column, None
        if stage is not needing and fields.get(column):
            return column, needing
    return None


def stage_label(stage: Stage, lang: str | None) -> str:
    """The stage's name in `lang`."""
    return translate(lang, STAGE_LABELS[stage])


def next_step(cooperative: Cooperative, lang: str | None) -> str:
    """What the cooperative should do now, in `lang` (certificate or reason filled in)."""
    return translate(
        lang,
        NEXT_STEPS[cooperative.stage],
        certificate=cooperative.certificate_no or "-",
        reason=text_in(cooperative, "rejection_reason", lang) or "-",
    )
