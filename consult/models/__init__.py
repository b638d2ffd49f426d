from .reference import Language, Organisation, ResidenceStatus, Topic

__all__ = ["Language", "Organisation", "ResidenceStatus", "Topic"]
