from __future__ import annotations

from domain.directory import Employee, RowError, parse_directory

HEADER = "Email,Display Name,Department,Office,Team,Manager Email,AAD Object Id,Country,Preferred Language\n"
ALICE = "alice@contoso.example,Alice Rossi,Sales,Milan,Sales North,marco@contoso.example,,IT,it-IT\n"
MARCO = "Marco@Contoso.example,Marco Bianchi,Sales,Milan,Sales North,,AAAAAAAA-0000-0000-0000-000000000001,it,it\n"


def test_a_good_file():
    parsed = parse_directory(HEADER + ALICE + MARCO)
    assert parsed.valid
    assert parsed.employees == [
        Employee(
            "alice@contoso.example",
            "Alice Rossi",
            "Sales",
            "Milan",
            "Sales North",
            "marco@contoso.example",
            None,
            "IT",
            "it-IT",
        ),
        Employee(
            "marco@contoso.example",
            "Marco Bianchi",
            "Sales",
            "Milan",
            "Sales North",
            None,
            "aaaaaaaa-0000-0000-0000-000000000001",
            "IT",
            "it",
        ),
    ]


def test_column_names_as_hr_systems_write_them_and_a_byte_order_mark():
    header = "\ufeffUserPrincipalName,Name,Dept,Office Location,Unit,Manager\n"
    parsed = parse_directory(header + "chai@contoso.example,Chai W,Ops,Bangkok,Field,\n")
    assert parsed.valid
    assert parsed.employees == [Employee("chai@contoso.example", "Chai W", "Ops", "Bangkok", "Field", None)]


def test_every_bad_row_is_reported_with_its_line_and_reason():
    rows = [
        ALICE,  # 2 ok
        "not-an-email,Bob,Sales,Milan,North,,,,\n",  # 3
        "bob@contoso.example,,Sales,Milan,North,,,,\n",  # 4
        "carl@contoso.example,Carl,Sales,Milan,North,boss,,,\n",  # 5
        "dana@contoso.example,Dana,Sales,Milan,North,dana@contoso.example,,,\n",  # 6
        "erin@contoso.example,Erin,Sales,Milan,North,,not-a-guid,,\n",  # 7
        "fay@contoso.example,Fay,Sales,Milan,North,,,Italy,\n",  # 8
        "gus@contoso.example,Gus,Sales,Milan,North,,,,klingon!\n",  # 9
        "ALICE@contoso.example,Alice Again,Sales,Milan,North,,,,\n",  # 10
        "\n",  # 11 blank: fine
        "hal@contoso.example,Hal,Sales,,North,,,,\n",  # 12
        '"ivy@contoso.example","Ivy, Jr.",Sales,Milan,North,,,,\n',  # 13 ok (quoted comma)
    ]
    parsed = parse_directory(HEADER + "".join(rows))
    assert [error.line for error in parsed.errors] == [3, 4, 5, 6, 7, 8, 9, 10, 12]
    reasons = {error.line: error.reason for error in parsed.errors}
    assert reasons[3] == "email 'not-an-email' is not an email address"
    assert reasons[4] == "display name is empty"
    assert reasons[5] == "manager email 'boss' is not an email address"
    assert reasons[6] == "an employee cannot be their own manager"
    assert "not a GUID" in reasons[7] and "two-letter" in reasons[8] and "language code" in reasons[9]
    assert reasons[10] == "alice@contoso.example appears again (first on line 2)"
    assert reasons[12] == "office is empty"
    assert [employee.email for employee in parsed.employees] == ["alice@contoso.example", "ivy@contoso.example"]
    assert parsed.employees[1].display_name == "Ivy, Jr."


def test_missing_columns_and_empty_files():
    assert parse_directory("").errors == [RowError(1, "the file is empty")]
    parsed = parse_directory("email,name\nx@y.z,X\n")
    assert parsed.errors == [RowError(1, "missing column(s): department, office, team, manager_email")]
    assert parsed.employees == []
