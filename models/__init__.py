"""The domain: typed SQLAlchemy 2 models and the rules about the data itself."""

from models.base import Base, UtcDateTime, utcnow
from models.cooperatives import NEXT_STAGE, Cooperative, CooperativeDocument, StageChange
from models.enums import (
    AbsenceReason,
    BroadcastStatus,
    CaseStatus,
    Channel,
    InboundStatus,
    JoinStatus,
    Language,
    LedgerKind,
    Priority,
    Role,
    SmsStatus,
    StaffRole,
    Stage,
    TraineeStatus,
    TvetRequestStatus,
)
from models.joins import JoinRequest
from models.messages import (
    Broadcast,
    DeliveryReport,
    InboundSms,
    OutboundSms,
    OutboxPause,
    SmsEvent,
)
from models.people import Person, PersonRole
from models.phones import BadPhone, normalize_phone, try_normalize_phone
from models.places import PROGRAMME_DISTRICTS, RWANDA_DISTRICTS, District, Sector
from models.reminders import ReminderOccasion
from models.staff import StaffAccount
from models.trainings import Training
from models.tvet import Absence, AbsenceCase, AttendanceReport, Intake, Trainee, TvetRequest, Vtc
from models.ussd import UssdHop, UssdSession
from models.vsla import Balances, LedgerEntry, LoanOwed, Vsla, balances, loans_owed

__all__ = [
    "Absence",
    "AbsenceReason",
    "AbsenceCase",
    "AttendanceReport",
    "BadPhone",
    "Balances",
    "Base",
    "Broadcast",
    "BroadcastStatus",
    "CaseStatus",
    "Channel",
    "Cooperative",
    "CooperativeDocument",
    "DeliveryReport",
    "District",
    "InboundSms",
    "InboundStatus",
    "Intake",
    "JoinRequest",
    "JoinStatus",
    "Language",
    "LedgerEntry",
    "LedgerKind",
    "LoanOwed",
    "NEXT_STAGE",
    "OutboundSms",
    "OutboxPause",
    "PROGRAMME_DISTRICTS",
    "RWANDA_DISTRICTS",
    "Person",
    "PersonRole",
    "Priority",
    "ReminderOccasion",
    "Role",
    "Sector",
    "SmsEvent",
    "SmsStatus",
    "StaffAccount",
    "StaffRole",
    "Stage",
    "StageChange",
    "Trainee",
    "TraineeStatus",
    "Training",
    "TvetRequest",
    "TvetRequestStatus",
    "UssdHop",
    "UssdSession",
    "UtcDateTime",
    "Vsla",
    "Vtc",
    "balances",
    "loans_owed",
    "normalize_phone",
    "try_normalize_phone",
    "utcnow",
]
