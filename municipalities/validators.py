# The check lives in core (core/validators.py: core.reference validates the
# shipped CSVs with it, and core sits below municipalities); migration 0001
# and the model field name it here.
from core.validators import local_government_check_digit, validate_local_government_code

__all__ = ["local_government_check_digit", "validate_local_government_code"]
