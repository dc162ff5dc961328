"""The fixed vocabularies of the domain."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    RW = "rw"
    EN = "en"
    FR = "fr"


class Role(StrEnum):
    MEMBER = "member"
    LEADER = "leader"
    TRAINER = "trainer"
    FIELD_OFFICER = "field_officer"
    VTC_DIRECTOR = "vtc_director"
    STAFF = "staff"
    SECTOR_OFFICIAL = "sector_official"  # a sector's official: the weekly digest of their sector
    DISTRICT_OFFICIAL = "district_official"  # a district's official: the same for their district


class LedgerKind(StrEnum):
    SHARES = "shares"
    SOCIAL_FUND = "social_fund"
    LOAN = "loan"
    REPAYMENT = "repayment"
    FINE = "fine"
    SERVICE_CHARGE = "service_charge"  # a loan's charge (interest), earned by the loan fund
    SOCIAL_PAYOUT = "social_payout"  # the social fund helps a member (funeral, illness)
    EXPENSE = "expense"  # the group spends from the loan fund (stationery, a padlock)
    SHARE_OUT = "share_out"
    CARRY_IN = "carry_in"  # the share-out remainder brought into a new cycle's loan fund
    CARRY_OUT = "carry_out"
    SOCIAL_CARRY_IN = "social_carry_in"
    SOCIAL_CARRY_OUT = "social_carry_out"
    SOCIAL_TRANSFER = "social_transfer"  # the social fund moved into a shared share-out


class Stage(StrEnum):
    """Cooperative registration stages, in the order they are passed."""

    FORMED = "formed"
    SECTOR_SUBMITTED = "sector_submitted"
    SECTOR_APPROVED = "sector_approved"
    DISTRICT_SUBMITTED = "district_submitted"
    DISTRICT_SITE_VISIT = "district_site_visit"
    DISTRICT_APPROVED = "district_approved"
    RCA_SUBMITTED = "rca_submitted"
    CERTIFIED = "certified"
    REJECTED = "rejected"


class TraineeStatus(StrEnum):
    ACTIVE = "active"
    AT_RISK = "at_risk"
    REPLACED = "replaced"  # legacy: read as dropped, never written (migration 0002 moved them)
    DROPPED = "dropped"
    GRADUATED = "graduated"


class CaseStatus(StrEnum):
    OPEN = "open"
    REPLACED = "replaced"
    JUSTIFIED = "justified"


class AbsenceReason(StrEnum):
    """Why a trainee missed training, as the trainer says (or a case is closed justified)."""

    SICK = "sick"
    TRANSPORT = "transport"
    WORK = "work"
    FAMILY = "family"
    UNKNOWN = "unknown"


class TvetRequestStatus(StrEnum):
    """A VSLA member's place on a trade's waiting list."""

    WAITING = "waiting"
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"


class Channel(StrEnum):
    SMS = "sms"
    USSD = "ussd"
    WEB = "web"
    IMPORT = "import"


class SmsStatus(StrEnum):
    """Life of an outbound SMS. `delivered` and `failed` are final."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    REVIEW = "review"  # a worker died mid-send: maybe sent, needs a look before any resend
    CANCELLED = "cancelled"


class Priority(StrEnum):
    HIGH = "high"  # replies to a person's own action
    BULK = "bulk"  # reminders and broadcasts


class InboundStatus(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    FAILED = "failed"


class BroadcastStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class JoinStatus(StrEnum):
    WAITING = "waiting"
    CONTACTED = "contacted"
    ENROLLED = "enrolled"


class StaffRole(StrEnum):
    """What a staff account may do in the console: admins also manage staff accounts."""

    STAFF = "staff"
    ADMIN = "admin"


class VslaOffice(StrEnum):
    """The offices of a savings group, per group (a person may lead one group only)."""

    CHAIRPERSON = "chairperson"  # perezida
    SECRETARY = "secretary"  # umunyamabanga: the record-keeper
    TREASURER = "treasurer"  # umubitsi
    MONEY_COUNTER = "money_counter"
    LEADER = "leader"


class CycleStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ChargeMode(StrEnum):
    FLAT = "flat"  # one charge for the whole loan, added to the principal
    MONTHLY = "monthly"  # a rate per 4-week month on the balance


class FineKind(StrEnum):
    LATE = "late"
    ABSENT = "absent"
    MISCONDUCT = "misconduct"
    OTHER = "other"


class MeetingStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Attendance(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    REPRESENTED = "represented"  # absent but sent money


class LoanStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REPAID = "repaid"
    SETTLED = "settled"  # deducted at share-out
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class DisputeStatus(StrEnum):
    OPEN = "open"
    CORRECTED = "corrected"
    REJECTED = "rejected"


class ShareOutStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    PAID = "paid"
