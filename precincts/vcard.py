"""A precinct as a vCard 3.0 (RFC 2426) contact card, so a phone can save it in one tap."""

from core.textsafe import strip_control_characters

ORGANIZATION = "Birmingham Police Department"


def escape(text: str) -> str:
    return (
        strip_control_characters(text)
        .replace("\t", " ")
        .replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 2425)."""
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not parts else 74
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def vcard(precinct, *, url: str) -> str:
    address = ["", "", precinct.street_address, precinct.city, precinct.state]
    address += [precinct.postal_code, ""]
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{escape(precinct.name)};;;;",
        f"FN:{escape(precinct.name)}",
        f"ORG:{escape(ORGANIZATION)};{escape(precinct.name)}",
        "ADR;TYPE=WORK:" + ";".join(escape(part) for part in address),
        f"TEL;TYPE=WORK,VOICE:{precinct.phone}",
    ]
    if precinct.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{escape(precinct.email)}")
    if precinct.latitude is not None and precinct.longitude is not None:
        lines.append(f"GEO:{precinct.latitude};{precinct.longitude}")
    if precinct.hours:
        lines.append(f"NOTE:{escape('Hours: ' + precinct.hours)}")
    lines += [f"URL:{url}", "X-ABShowAs:COMPANY", "END:VCARD"]
    return "".join(fold(line) + "\r\n" for line in lines)
