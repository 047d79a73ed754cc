# Dates as Spanish writes them ("29 de noviembre de 2026") and the 12-hour clock Birmingham
# uses, with the meridiem as US Spanish writes it: "4:00 p. m." (the "a" format below, whose
# "a.m."/"p.m." the Spanish catalog writes "a. m."/"p. m."; Django's own says "p.m.").
from django.utils.translation import gettext_noop

DATE_FORMAT = r"j \d\e F \d\e Y"
YEAR_MONTH_FORMAT = r"F \d\e Y"
TIME_FORMAT = "g:i a"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i a"

# Django's date format "a" translates these two strings; marked here so the catalog keeps them.
MERIDIEM = (gettext_noop("a.m."), gettext_noop("p.m."))
