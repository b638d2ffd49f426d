from .bookings import Booking, BookingStatus
from .roster import (
    AvailabilityException,
    Interpreter,
    InterpreterExclusion,
    InterpreterLanguage,
    Level,
    Modality,
    WeeklySlot,
)

__all__ = [
    "AvailabilityException",
    "Booking",
    "BookingStatus",
    "Interpreter",
    "InterpreterExclusion",
    "InterpreterLanguage",
    "Level",
    "Modality",
    "WeeklySlot",
]
