# Dates as people in Birmingham write them ("November 29, 2026"): templates use the names
# (|date:"DATE_FORMAT"), so each language writes them its own way.
DATE_FORMAT = "F j, Y"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "F j, Y, g:i A"
