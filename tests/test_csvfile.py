"""The one place a CSV file's text, header and records are read and their problems worded: the
pieces shared by the tidy extracts and the patient-level file."""

import pytest

from portfolio.config.problems import Problem
from portfolio.data.csvfile import (MAX_LISTED, MAX_RECORD_LINES, LineTooLong, TextLines, decode, header_names,
                                    header_problem, listed, missing_columns, read_header, read_records, records,
                                    row_problems, unknown_columns, values)


def test_decode_reads_utf8_with_or_without_a_byte_order_mark_else_windows_1252():
    assert decode("£1".encode()) == ("£1", "utf-8")
    assert decode(b"\xef\xbb\xbf\xc2\xa31") == ("£1", "utf-8")
    assert decode("£1 ’".encode("cp1252")) == ("£1 ’", "cp1252")


def _lines(tmp_path, raw: bytes, longest: int | None = None) -> TextLines:
    path = tmp_path / "x.csv"
    path.write_bytes(raw)
    return TextLines(path, longest)


def test_text_lines_name_the_windows_1252_lines_of_a_utf8_file(tmp_path):
    lines = _lines(tmp_path, "a,é\n".encode() + "b,£\n".encode("cp1252") + b"c,d")
    assert list(lines) == [(1, "a,é"), (2, "b,£"), (3, "c,d")]
    assert (lines.encoding, lines.windows) == ("mixed", [2])
    whole = _lines(tmp_path, "a,£\n".encode("cp1252"))  # no UTF-8 line: the whole file
    assert (list(whole), whole.encoding, whole.warnings("x.csv")) == ([(1, "a,£")], "cp1252", [])
    bom = _lines(tmp_path, b"\xef\xbb\xbfa,b\n" + "c,£\n".encode("cp1252"))  # a byte-order mark is not UTF-8 text
    assert (list(bom), bom.encoding) == ([(1, "a,b"), (2, "c,£")], "cp1252")
    plain = _lines(tmp_path, b"\xef\xbb\xbfa,\xc3\xa9\n")
    assert (list(plain), plain.encoding) == ([(1, "a,é")], "utf-8")


@pytest.mark.parametrize("raw, expected, stray", [
    (b"a,b\r\nc,d\r\n", [(1, "a,b"), (2, "c,d")], []),
    (b"a,b\rc,d\r", [(1, "a,b"), (2, "c,d")], []),  # an old Mac's line breaks
    (b"a,b\nc\x00,d\re\n", [(1, "a,b"), (2, "c ,d e")], [2]),  # a NUL and a carriage return inside a line
    (b"a\tb\n", [(1, "a\tb")], []),  # a tab is kept
    (b"a\n\n\nb", [(1, "a"), (2, ""), (3, ""), (4, "b")], []),  # blank lines keep their numbers
    (b"", [], []),
])
def test_text_lines_make_line_ends_plain_and_control_characters_spaces(tmp_path, raw, expected, stray):
    lines = _lines(tmp_path, raw)
    assert (list(lines), lines.stray) == (expected, stray)


def test_a_line_longer_than_the_limit_stops_the_reading_naming_it(tmp_path):
    assert list(_lines(tmp_path, b"ab\n" + b"x" * 10 + b"\n", longest=10)) == [(1, "ab"), (2, "x" * 10)]
    with pytest.raises(LineTooLong, match="line 2 is longer than 0 MB") as raised:
        list(_lines(tmp_path, b"ab\n" + b"x" * 11 + b"\ncd\n", longest=10))
    assert (raised.value.line, raised.value.longest) == (2, 10)
    with pytest.raises(LineTooLong):  # the last line, without a line break
        list(_lines(tmp_path, b"ab\n" + b"x" * 11, longest=10))
    assert str(LineTooLong(4, 16_000_000)) == "line 4 is longer than 16 MB"


def test_listed_shows_ten_line_numbers_then_counts_the_rest():
    assert listed([3, 5]) == "3, 5"
    assert listed(list(range(1, 13))) == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more"


def _numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.split("\n"), start=1))


def test_records_keep_the_line_each_starts_on_and_count_its_values():
    text = 'h1,h2\n\n1,"two\nlines"\n3,"open\n4,5,6\n'
    assert list(records(_numbered(text))) == [(1, "h1,h2", 2), (3, '1,"two\nlines"', 2), (5, '3,"open', None),
                                              (6, "4,5,6", 3)]  # an open quote: only its own line is left out
    assert list(records(_numbered("a,b\n\n c \n"))) == [(1, "a,b", 2), (3, " c ", 1)]  # no quotes: a record a line


def test_records_give_up_a_quote_after_its_longest_run_of_lines():
    note = ['1,"a'] + ["b"] * (MAX_RECORD_LINES - 2) + ['c"']  # closed on its last allowed line
    assert list(records(enumerate(note, start=1))) == [(1, "\n".join(note), 2)]
    longer = note[:-1] + ["b", 'c"', "2,d"]  # closed one line too late: each line read on its own
    found = list(records(enumerate(longer, start=1)))
    assert found[0] == (1, '1,"a', None) and found[-2:] == [(MAX_RECORD_LINES + 1, 'c"', None), (22, "2,d", 2)]


def test_values_split_as_a_csv_reader_does():
    assert values('a,"b,c",d') == ["a", "b,c", "d"]
    assert values('a,"b\nc"') == ["a", "b\nc"]
    assert values('"a"\nb') is None  # a line break outside quotes


def test_read_records_warn_of_windows_1252_lines_and_control_characters(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("a,b\n".encode() + "é,£\n".encode("cp1252") + "ü,\x00\n".encode())
    problems = []
    assert read_records(path, "x.csv", problems) == ([(1, "a,b", 2), (2, "é,£", 2), (3, "ü, ", 2)], "mixed")
    assert [(p.line, p.severity) for p in problems] == [(2, "warning"), (3, "warning")]
    assert "1 line is not UTF-8" in problems[0].message and "on lines 3:" in problems[1].message


def test_read_records_says_why_a_file_cannot_be_read(tmp_path):
    problems = []
    assert read_records(tmp_path / "gone.csv", "gone.csv", problems) is None
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
