"""The one place a CSV file's text, header and records are read and their problems worded: the
pieces shared by the tidy extracts and the patient-level file."""

import pytest

from portfolio.config.problems import Problem
from portfolio.data.csvfile import (MAX_LISTED, decode, decode_lines, header_names, header_problem, listed,
                                    missing_columns, read_header, read_text, records, row_problems, unknown_columns,
                                    without_stray_characters)


def test_decode_reads_utf8_with_or_without_a_byte_order_mark_else_windows_1252():
    assert decode("£1".encode()) == ("£1", "utf-8")
    assert decode(b"\xef\xbb\xbf\xc2\xa31") == ("£1", "utf-8")
    assert decode("£1 ’".encode("cp1252")) == ("£1 ’", "cp1252")


def test_decode_lines_names_the_windows_1252_lines_of_a_utf8_file():
    raw = "a,é\n".encode() + "b,£\n".encode("cp1252") + b"c,d"
    assert decode_lines(raw) == ("a,é\nb,£\nc,d", "mixed", [2])
    assert decode_lines("a,£\n".encode("cp1252")) == ("a,£\n", "cp1252", [])  # no UTF-8 line: the whole file


def test_listed_shows_ten_line_numbers_then_counts_the_rest():
    assert listed([3, 5]) == "3, 5"
    assert listed(list(range(1, 13))) == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more"


@pytest.mark.parametrize("text, expected", [
    ("a,b\r\nc,d\r\n", ("a,b\nc,d\n", [])),
    ("a,b\rc,d\r", ("a,b\nc,d", [])),  # an old Mac's line breaks
    ("a,b\nc\x00,d\re\n", ("a,b\nc ,d e\n", [2])),  # a NUL and a carriage return inside a line
    ("a\tb\n", ("a\tb\n", [])),  # a tab is kept
])
def test_without_stray_characters(text, expected):
    assert without_stray_characters(text) == expected


def test_records_keep_the_line_each_starts_on_and_count_its_values():
    text = 'h1,h2\n\n1,"two\nlines"\n3,"open\n4,5,6\n'
    assert list(records(text)) == [(1, "h1,h2", 2), (3, '1,"two\nlines"', 2), (5, '3,"open\n4,5,6\n', None),
                                   (6, "4,5,6", 3)]  # an open quote: only its own line is left out
    assert list(records("a,b\n\n c \n")) == [(1, "a,b", 2), (3, " c ", 1)]  # no quotes: a record a line


def test_read_text_warns_of_windows_1252_lines_and_control_characters(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("a,b\n".encode() + "é,£\n".encode("cp1252") + "ü,\x00\n".encode())
    problems = []
    assert read_text(path, "x.csv", problems) == ("a,b\né,£\nü, \n", "mixed")
    assert [(p.line, p.severity) for p in problems] == [(2, "warning"), (3, "warning")]
    assert "1 line is not UTF-8" in problems[0].message and "on lines 3:" in problems[1].message


def test_read_text_says_why_a_file_cannot_be_read(tmp_path):
    problems = []
    assert read_text(tmp_path / "gone.csv", "gone.csv", problems) is None
    assert problems == [Problem("gone.csv", "cannot be read: No such file or directory")]


def test_header_names_are_trimmed_unquoted_and_in_lower_case():
    assert header_names(' Metric_ID ,"Period",org_code') == ["metric_id", "period", "org_code"]
    assert header_names("") == []


def test_read_header_reads_the_first_line_whatever_its_encoding_or_line_end(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b'\xef\xbb\xbfSite_Code,"arrival"\r\nA1,2023\r\n')
    assert read_header(path) == ["site_code", "arrival"]


@pytest.mark.parametrize("columns, says", [
    (["a", "", "b"], "has a column with no name in its header (column 2): name it, or remove it"),
    (["a", "b", "a"], "names the column a more than once in its header (capitals do not make a different column): "
                      "keep one"),
])
def test_header_problem(columns, says):
    assert header_problem("x.csv", columns, line=3) == Problem("x.csv", says, location="header", line=3)
    assert header_problem("x.csv", ["a", "b"], line=1) is None


def test_missing_columns_say_include_when_others_are_optional_and_name_when_all_are_required():
    assert missing_columns("x.csv", ["a", "c"], ("a", "b"), ("a", "b", "c")) == Problem(
        "x.csv", "has no b column; the header must include a, b (see docs/extracts.md)", location="header", line=1)
    assert missing_columns("x.csv", ["c"], ("a", "b"), ("a", "b")).message == \
        "has no a, b column; the header must name a, b (see docs/extracts.md)"
    assert missing_columns("x.csv", ["b", "a"], ("a", "b"), ("a", "b")) is None


def test_unknown_columns_are_a_warning():
    assert unknown_columns("x.csv", ["a", "z", "y"], ("a",)) == Problem(
        "x.csv", "unknown columns ignored: z, y", location="header", line=1, severity="warning")
    assert unknown_columns("x.csv", ["a"], ("a", "b")) is None


def test_row_problems_list_the_first_rows_then_count_the_rest():
    found = [(line, f"bad {line}") for line in range(2, 2 + MAX_LISTED)]
    problems = row_problems("x.csv", "value", found, MAX_LISTED + 7)
    assert len(problems) == MAX_LISTED + 1
    assert problems[0] == Problem("x.csv", "bad 2", location="row 2, column value", line=2)
    assert problems[-1] == Problem("x.csv", "7 more rows have the same problem in column value",
                                   location="column value")
    assert row_problems("x.csv", "value", found[:2], 2) == problems[:2]
