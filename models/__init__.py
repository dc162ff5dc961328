"""The domain: typed SQLAlchemy 2 models and the rules about the data itself."""

from models.base import Base, Database, UtcDateTime, utcnow
from models.cooperatives import NEXT_STAGE, Cooperative, StageChange
from models.enums import (
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
    Stage,
    TraineeStatus,
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
from models.places import PROGRAMME_DISTRICTS, District, Sector
from models.trainings import Training
from models.tvet import Absence, AbsenceCase, AttendanceReport, Trainee, Vtc
from models.ussd import UssdHop, UssdSession
from models.vsla import Balances, LedgerEntry, Vsla, balances

__all__ = [
    "Absence",
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
    "Database",
    "DeliveryReport",
    "District",
    "InboundSms",
    "InboundStatus",
    "JoinRequest",
    "JoinStatus",
    "Language",
    "LedgerEntry",
    "LedgerKind",
    "NEXT_STAGE",
    "OutboundSms",
    "OutboxPause",
    "PROGRAMME_DISTRICTS",
    "Person",
    "PersonRole",
    "Priority",
    "Role",
    "Sector",
    "SmsEvent",
    "SmsStatus",
    "Stage",
    "StageChange",
    "Trainee",
    "TraineeStatus",
    "Training",
    "UssdHop",
    "UssdSession",
    "UtcDateTime",
    "Vsla",
    "Vtc",
    "balances",
    "normalize_phone",
    "try_normalize_phone",
    "utcnow",
]
