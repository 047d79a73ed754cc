# Dates as Spanish writes them ("29 de noviembre de 2026"); the time as in the US, since
# Birmingham's clocks and phones show it so ("4:00 PM").
DATE_FORMAT = r"j \d\e F \d\e Y"
YEAR_MONTH_FORMAT = r"F \d\e Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i A"
