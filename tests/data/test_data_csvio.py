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
