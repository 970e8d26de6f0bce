"""The employee directory, imported from an HR export (CSV).

The whole file is validated first; every bad row is reported with its line number and
reason. Parsing is pure: the storage layer applies the result in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$")
COUNTRY = re.compile(r"^[A-Za-z]{2}$")
MAX_FIELD = 256
_CONTROL = re.compile("[\x00-\x1f\x7f]")

# Column names HR systems use, normalised (lower case, no spaces, dashes or underscores).
COLUMNS: dict[str, tuple[str, ...]] = {
    "email": ("email", "mail", "upn", "userprincipalname", "emailaddress"),
    "display_name": ("displayname", "name", "fullname"),
    "department": ("department", "dept"),
    "office": ("office", "officelocation", "location", "site"),
    "team": ("team", "unit", "group"),
    "manager_email": ("manageremail", "manager", "managerupn", "managermail"),
    "aad_object_id": ("aadobjectid", "objectid", "entraobjectid", "azureadobjectid"),
    "country": ("country", "countrycode"),
    "preferred_language": ("preferredlanguage", "language", "locale"),
    "timezone": ("timezone", "timezoneid", "tz", "ianatimezone"),
}
REQUIRED = ("email", "display_name", "department", "office", "team", "manager_email")


@dataclass(frozen=True, slots=True)
class Employee:
    email: str
    display_name: str
    department: str
    office: str
    team: str
    manager_email: str | None
    aad_object_id: str | None = None
    country: str | None = None
    preferred_language: str | None = None
    # IANA name (Europe/Rome): check-ins go out at the program's local time in it.
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    reason: str
    # The row's email when it could be read: that person is left as they were, not taken
    # for someone who left the company.
    email: str | None = None


@dataclass(frozen=True, slots=True)
class DirectoryFile:
    employees: list[Employee]
    errors: list[RowError]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def skipped_emails(self) -> frozenset[str]:
        """People on rows that were refused: an import leaves them exactly as they were."""
        return frozenset(error.email for error in self.errors if error.email)


QUOTE_HINT = (
    "a field that contains a comma, a quote or a line break must be wrapped in double quotes, "
    'and a quote inside it written twice ("")'
)
UTF8_HINT = "save the file as UTF-8 (in Excel: Save As, then CSV UTF-8) and import it again"


def decode_directory(raw: bytes) -> str | RowError:
    """The file's text, or where it is not UTF-8 (a line number, not a byte offset) and what to do."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return RowError(line, f"this line is not UTF-8 (byte 0x{raw[error.start]:02x}): {UTF8_HINT}")


def _normalise_header(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name.strip().lstrip("\ufeff").lower())


def _map_columns(header: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    """field -> column index, and the required fields that are missing."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        normalised = _normalise_header(name)
        for field_name, aliases in COLUMNS.items():
            if normalised in aliases and field_name not in positions:
                positions[field_name] = index
    return positions, [field_name for field_name in REQUIRED if field_name not in positions]


def parse_directory(text: str) -> DirectoryFile:
    """Parse and validate an HR export; line numbers are the file's (the header is line 1)."""
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return DirectoryFile([], [RowError(1, "the file is empty")])
    except csv.Error as error:
        return DirectoryFile([], [RowError(1, f"the header cannot be read ({error}): {QUOTE_HINT}")])
    positions, missing = _map_columns(header)
    if missing:
        names = ", ".join(missing)
        return DirectoryFile([], [RowError(1, f"missing column(s): {names}")])

    employees: list[Employee] = []
    errors: list[RowError] = []
    first_line_of: dict[str, int] = {}
    previous_line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            # Nothing after this point can be trusted, so nothing is imported (and nobody is
            # taken for having left).
            reason = f"cannot read this line ({error}): {QUOTE_HINT}; nothing was imported"
            return DirectoryFile([], [*errors, RowError(previous_line + 1, reason)])
        first, line = previous_line + 1, reader.line_num
        previous_line = line
        if line > first or any("\n" in cell or "\r" in cell for cell in row):
            # A quote left open swallowed the next lines: which people they held is unknown.
            reason = f"a quote opened on line {first} closes only on line {line}: {QUOTE_HINT}; nothing was imported"
            return DirectoryFile([], [*errors, RowError(first, reason)])
        if not any(cell.strip() for cell in row):
            continue  # blank lines are allowed
        values = {name: (row[index].strip() if index < len(row) else "") for name, index in positions.items()}
        problem = _problem(values)
        email = values["email"].lower()
        if problem is None and email in first_line_of:
            problem = f"{email} appears again (first on line {first_line_of[email]})"
        if problem is not None:
            errors.append(RowError(line, problem, email if EMAIL.match(email) else None))
            continue
        first_line_of[email] = line
        employees.append(_employee(values))
    return DirectoryFile(employees, errors)


def _problem(values: dict[str, str]) -> str | None:
    control = next((name for name, value in values.items() if _CONTROL.search(value)), None)
    if control is not None:
        return f"{control.replace('_', ' ')} contains a control character (such as NUL)"
    for name in REQUIRED:
        if name != "manager_email" and not values.get(name):
            return f"{name.replace('_', ' ')} is empty"
    too_long = [name for name, value in values.items() if len(value) > MAX_FIELD]
    if too_long:
        return f"{too_long[0].replace('_', ' ')} is longer than {MAX_FIELD} characters"
    if not EMAIL.match(values["email"]):
        return f"email {values['email']!r} is not an email address"
    manager = values.get("manager_email", "")
    if manager and not EMAIL.match(manager):
        return f"manager email {manager!r} is not an email address"
    if manager and manager.lower() == values["email"].lower():
        return "an employee cannot be their own manager"
    if values.get("aad_object_id") and not GUID.match(values["aad_object_id"]):
        return f"aad object id {values['aad_object_id']!r} is not a GUID"
    if values.get("country") and not COUNTRY.match(values["country"]):
        return f"country {values['country']!r} is not a two-letter code such as IT"
    if values.get("preferred_language") and not LANGUAGE.match(values["preferred_language"]):
        return f"preferred language {values['preferred_language']!r} is not a language code such as it or th-TH"
    if values.get("timezone") and not _is_timezone(values["timezone"]):
        return f"time zone {values['timezone']!r} is not an IANA time zone such as Europe/Rome"
    return None


def _is_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _employee(values: dict[str, str]) -> Employee:
    return Employee(
        email=values["email"].lower(),
        display_name=values["display_name"],
        department=values["department"],
        office=values["office"],
        team=values["team"],
        manager_email=values.get("manager_email", "").lower() or None,
        aad_object_id=values.get("aad_object_id", "").lower() or None,
        country=values.get("country", "").upper() or None,
        preferred_language=values.get("preferred_language", "").replace("_", "-") or None,
        timezone=values.get("timezone") or None,
    )


@dataclass(frozen=True, slots=True)
class ImportSummary:
    created: int
    updated: int
    reactivated: int
    deactivated: int
