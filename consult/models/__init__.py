from .cases import Case, CaseCounter, CaseOutcome, CaseStatus
from .clients import AgeBand, Client, ClientType, Gender
from .consent import Consent
from .consultations import Action, Channel, Consultation, ConsultationTopic, InterpretationMode
from .follow_ups import FollowUp, FollowUpTemplate
from .handoffs import ConsentBasis, HandOff, HandOffKind, HandOffStatus
from .reference import Language, Organisation, ResidenceStatus, Topic

__all__ = [
    "Action",
    "AgeBand",
    "Case",
    "CaseCounter",
    "CaseOutcome",
    "CaseStatus",
    "Channel",
    "Client",
    "ClientType",
    "Consent",
    "ConsentBasis",
    "Consultation",
    "ConsultationTopic",
    "FollowUp",
    "FollowUpTemplate",
    "Gender",
    "HandOff",
    "HandOffKind",
    "HandOffStatus",
    "InterpretationMode",
    "Language",
    "Organisation",
    "ResidenceStatus",
    "Topic",
]
