# Django's own rendering of dates ({{ value }}, |date without a format, the
# admin) follows core/dates.py: one format per language.  Input formats stay Django's.
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 G:i"
TIME_FORMAT = "G:i"
SHORT_DATE_FORMAT = "Y/m/d"
SHORT_DATETIME_FORMAT = "Y/m/d G:i"
