"""CSV export/import: exact round trips and every error path, each naming its line."""
import numpy as np
import pytest

from playground.config import CLASSIFICATION, REGRESSION
from playground.data import CsvError, Dataset, make_dataset, parse_csv, read_csv, write_csv


@pytest.mark.parametrize("name, classes", [("spiral", 2), ("blobs", 6), ("circle", 2),
                                           ("plane", 2), ("ripple", 2)])
def test_round_trip_is_exact(tmp_path, name, classes):
    ds = make_dataset(name, n=300, noise=0.3, seed=7, classes=classes)
    path = tmp_path / "points.csv"
    write_csv(path, ds)
    assert read_csv(path) == ds  # kind and class count inferred, every float bit-exact


def test_round_trip_of_an_empty_canvas_and_of_a_sparse_class_set(tmp_path):
    path = tmp_path / "points.csv"
    write_csv(path, Dataset.empty())
    assert path.read_text() == "x1,x2,label\n"
    assert read_csv(path) == Dataset.empty()
    only_class_four = Dataset(np.array([[1.0, 2.0]]), np.array([4]), CLASSIFICATION, 5)
    write_csv(path, only_class_four)
    assert read_csv(path) == only_class_four


def test_written_file_is_plain_and_readable(tmp_path):
    ds = Dataset(np.array([[0.1, -2.0], [3.0, 4.5]]), np.array([1, 0]), CLASSIFICATION, 2)
    path = tmp_path / "points.csv"
    write_csv(path, ds)
    assert path.read_text() == "x1,x2,label\n0.1,-2.0,1\n3.0,4.5,0\n"


def test_inference_and_explicit_kind():
    text = "x1,x2,label\n0,0,1\n1,1,3\n"
    inferred = parse_csv(text)
    assert inferred.kind == CLASSIFICATION and inferred.n_classes == 4
    as_values = parse_csv(text, kind=REGRESSION)
    assert as_values.kind == REGRESSION and as_values.y.tolist() == [1.0, 3.0]
    assert parse_csv("x1,x2,label\n0,0,0.5\n1,1,-1\n").kind == REGRESSION
    assert parse_csv("x1,x2,label\n0,0,7\n").kind == REGRESSION
    with pytest.raises(ValueError, match="kind must be None or one of"):
        parse_csv(text, kind="clusters")


def test_tolerates_spaces_blank_lines_crlf_bom_and_header_case(tmp_path):
    path = tmp_path / "hand.csv"
    path.write_bytes("\ufeffX1, x2 ,Label\r\n\r\n 1.5 , -2 , 1\r\n\r\n3,4,0\r\n".encode("utf-8"))
    ds = read_csv(path)
    assert ds.X.tolist() == [[1.5, -2.0], [3.0, 4.0]] and ds.y.tolist() == [1, 0]


@pytest.mark.parametrize("text, kind, line, problem", [
    ("", None, 1, "empty file"),
    ("\n  \n", None, 1, "empty file"),
    ("x,y,label\n1,2,0\n", None, 1, "bad header 'x,y,label'"),
    ("1,2,0\n3,4,1\n", None, 1, "bad header '1,2,0'"),
    ("\n\nx1,x2\n", None, 3, "bad header"),
    ("x1,x2,label\n1,2,0\n3,4\n", None, 3, "expected 3 columns (x1,x2,label), found 2"),
    ("x1,x2,label\n1,2,0,9\n", None, 2, "expected 3 columns (x1,x2,label), found 4"),
    ("x1,x2,label\n1,2,0\n\n1,abc,0\n", None, 4, "x2 is not a number: 'abc'"),
    ("x1,x2,label\n,2,0\n", None, 2, "x1 is not a number: ''"),
    ("x1,x2,label\n1,2,one\n", None, 2, "label is not a number: 'one'"),
    ("x1,x2,label\n1,2,0\nnan,2,0\n", None, 3, "x1 is not finite: 'nan'"),
    ("x1,x2,label\n1,-inf,0\n", None, 2, "x2 is not finite: '-inf'"),
    ("x1,x2,label\n1,2,inf\n", None, 2, "label is not finite: 'inf'"),
    ("x1,x2,label\n1,2,0\n1,2,-1\n", CLASSIFICATION, 3, "class label is negative: -1"),
    ("x1,x2,label\n1,2,0.5\n", CLASSIFICATION, 2, "class label is not a whole number: 0.5"),
    ("x1,x2,label\n1,2,0\n1,2,1\n1,2,6\n", CLASSIFICATION, 4,
     "class label 6 is above the largest class 5"),
])
def test_every_error_names_its_line(tmp_path, text, kind, line, problem):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CsvError) as caught:
        read_csv(path, kind=kind)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.line == line and problem in error.problem
    assert str(error).startswith(f"line {line}: ")


def test_non_utf8_bytes_name_their_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"x1,x2,label\n1,2,0\n1,2,\xe9\n")
    with pytest.raises(CsvError, match="line 3: not UTF-8 text"):
        read_csv(path)


def test_a_bad_last_line_imports_nothing(tmp_path):
    ds = make_dataset("circle", n=200, seed=1)
    path = tmp_path / "points.csv"
    write_csv(path, ds)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("1.0,2.0,zero\n")
    with pytest.raises(CsvError, match="line 202: label is not a number"):
        read_csv(path)


def test_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_csv(tmp_path / "absent.csv")


# -- hostile files ------------------------------------------------------------------------------
def test_more_rows_than_points_allowed_are_refused_before_parsing(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("x1,x2,label\n" + "0,0,0\n" * 20_001 + "1,abc,0\n", encoding="utf-8")
    with pytest.raises(CsvError, match="the file has 20,002 rows; a dataset has at most 20,000"):
        read_csv(path)


def test_a_file_too_large_for_any_dataset_is_refused_unread(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:           # ten million rows would be 60 MB
        handle.write(b"x1,x2,label\n")
        handle.truncate(6 * 2**20)
    with pytest.raises(CsvError, match="larger than 4.9 MB"):
        read_csv(path)


@pytest.mark.parametrize("separator", ["\f", "\v", "\x1c", "\u2028"])
def test_only_line_feeds_and_carriage_returns_end_a_line(separator):
    with pytest.raises(CsvError) as caught:
        parse_csv(f"x1,x2,label\n0,0,1{separator}0,0,bad\n")
    assert caught.value.line == 2 and "expected 3 columns" in caught.value.problem


def test_points_far_off_the_plane_are_refused():
    with pytest.raises(CsvError, match="line 3: x2 is 1e\\+308; values must lie within ±10000"):
        parse_csv("x1,x2,label\n0,0,1\n0,1e308,0\n")


def test_a_long_cell_is_quoted_as_an_excerpt():
    with pytest.raises(CsvError) as caught:
        parse_csv("x1,x2,label\n0," + "z" * 1_000_000 + ",0\n")
    assert caught.value.line == 2 and caught.value.problem.startswith("x2 is not a number: 'zzz")
    assert len(str(caught.value)) < 200
