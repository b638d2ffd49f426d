from .cases import Case, CaseCounter, CaseOutcome, CaseStatus
from .clients import AgeBand, Client, ClientType, Gender
from .consultations import Action, Channel, Consultation, ConsultationTopic, InterpretationMode
from .follow_ups import FollowUp, FollowUpTemplate
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
    "Consultation",
    "ConsultationTopic",
    "FollowUp",
    "FollowUpTemplate",
    "Gender",
    "InterpretationMode",
    "Language",
    "Organisation",
    "ResidenceStatus",
    "Topic",
]
