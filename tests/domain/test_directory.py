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


HR_HEADER = "email,display name,department,office,team,manager email\n"


def test_a_nul_or_other_control_character_is_refused_with_the_line():
    parsed = parse_directory(
        HR_HEADER + "ann\x00@contoso.example,Ann,Sales,Milan,A,\nbob@contoso.example,B\x01b,S,R,B,\n"
    )
    assert parsed.employees == []
    assert [(error.line, error.reason) for error in parsed.errors] == [
        (2, "email contains a control character (such as NUL)"),
        (3, "display name contains a control character (such as NUL)"),
    ]


def test_a_quote_left_open_stops_the_import_at_its_line():
    parsed = parse_directory(HR_HEADER + 'ann@contoso.example,Ann,Sales,Milan,A,\nbob@contoso.example,"Bob,S,R,B,\n')
    assert parsed.employees == []
    [error] = parsed.errors
    assert error.line == 3 and "double quotes" in error.reason and "nothing was imported" in error.reason


def test_a_quote_that_swallows_lines_stops_the_import():
    text = HR_HEADER + 'ann@contoso.example,"Ann,Sales,Milan,A,\nbob@contoso.example,Bob",Sales,Rome,B,\n'
    parsed = parse_directory(text)
    assert parsed.employees == []
    assert "a quote opened on line 2 closes only on line 3" in parsed.errors[0].reason


def test_refused_rows_name_the_people_to_leave_alone():
    parsed = parse_directory(HR_HEADER + "ann@contoso.example,Ann,,Milan,A,\nnot-an-email,X,S,R,B,\n")
    assert parsed.skipped_emails == {"ann@contoso.example"}
