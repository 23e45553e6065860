"""CSV export/import: exact round trips with the split, the columns, the kind of problem, and
every error path, each naming its line and, for a cell, its column."""
import numpy as np
import pytest

from playground.config import CLASSIFICATION, REGRESSION
from playground.data import (CsvError, Dataset, make_dataset, parse_csv, parse_csv_points, read_csv,
                             read_csv_points, split, write_csv)


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
    assert path.read_text() == "x1,x2,class\n"
    assert read_csv(path) == Dataset.empty()
    only_class_four = Dataset(np.array([[1.0, 2.0]]), np.array([4]), CLASSIFICATION, 5)
    write_csv(path, only_class_four)
    assert read_csv(path) == only_class_four


def test_written_file_is_plain_and_readable(tmp_path):
    ds = Dataset(np.array([[0.1, -2.0], [3.0, 4.5]]), np.array([1, 0]), CLASSIFICATION, 2)
    path = tmp_path / "points.csv"
    write_csv(path, ds)
    assert path.read_text() == "x1,x2,class\n0.1,-2.0,1\n3.0,4.5,0\n"


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


def test_the_label_column_name_sets_the_kind():
    whole_values = "x1,x2,value\n0,0,1\n1,1,0\n"
    assert parse_csv(whole_values).kind == REGRESSION          # 0 and 1, yet values
    assert parse_csv("x1,x2,class\n0,0,1\n1,1,0\n").kind == CLASSIFICATION
    assert parse_csv("x1,x2,label\n0,0,1\n1,1,0\n").kind == CLASSIFICATION


@pytest.mark.parametrize("generator, classes, name", [("circle", 2, "class"),
                                                     ("ripple", 2, "value"),
                                                     ("blobs", 4, "class")])
def test_the_split_round_trips_and_the_kind_with_it(tmp_path, generator, classes, name):
    ds = make_dataset(generator, n=120, noise=0.2, seed=3, classes=classes)
    train, test = split(ds, 0.7, seed=5)
    path = tmp_path / "points.csv"
    write_csv(path, ds, (train, test))
    assert path.read_text().splitlines()[0] == f"x1,x2,{name},split"
    read = read_csv_points(path)
    assert read.dataset == ds
    assert read.split[0].tolist() == train.tolist() and read.split[1].tolist() == test.tolist()
    assert read.split[0].dtype == read.split[1].dtype == np.int64
    assert read_csv(path) == ds                    # the points alone


def test_columns_in_any_order_quoted_cells_and_a_file_without_split():
    read = parse_csv_points('"Split", "X2" ,x1,"CLASS"\n"test",2,1,"1"\nTrain ,4,3,0\n')
    assert read.dataset.X.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert read.dataset.y.tolist() == [1, 0]
    assert read.split[0].tolist() == [1] and read.split[1].tolist() == [0]
    assert parse_csv_points("x1,x2,label\n0,0,1\n").split is None


def test_a_split_needs_a_training_point_but_may_lack_test_points():
    with pytest.raises(CsvError) as caught:
        parse_csv_points("x1,x2,class,split\n0,0,1,test\n1,1,0,test\n")
    assert caught.value.column == 4 and "no point is marked train" in str(caught.value)
    everything = parse_csv_points("x1,x2,class,split\n0,0,1,train\n")
    assert everything.split[0].tolist() == [0] and everything.split[1].tolist() == []
    empty = parse_csv_points("x1,x2,class,split\n")      # an exported empty canvas
    assert empty.dataset == Dataset.empty() and empty.split[0].size == 0


def test_tolerates_spaces_blank_lines_crlf_bom_and_header_case(tmp_path):
    path = tmp_path / "hand.csv"
    path.write_bytes("\ufeffX1, x2 ,Label\r\n\r\n 1.5 , -2 , 1\r\n\r\n3,4,0\r\n".encode("utf-8"))
    ds = read_csv(path)
    assert ds.X.tolist() == [[1.5, -2.0], [3.0, 4.0]] and ds.y.tolist() == [1, 0]


@pytest.mark.parametrize("text, kind, line, column, problem", [
    ("", None, 1, None, "empty file"),
    ("\n  \n", None, 1, None, "empty file"),
    ("x,y,label\n1,2,0\n", None, 1, 1, "unknown column 'x'; expected x1,x2,label"),
    ("1,2,0\n3,4,1\n", None, 1, 1, "the first line must name the columns"),
    ("x1;x2;label\n1;2;0\n", None, 1, 1, "is not separated by commas"),
    ("\n\nx1,x2\n", None, 3, None, "no label column"),
    ("x2,label\n", None, 1, None, "no x1 column"),
    ("x1,x2,label,x1\n", None, 1, 4, "'x1' appears twice"),
    ("x1,x2,class,value\n", None, 1, 4, "a second label column 'value'"),
    ("x1,x2,label\n1,2,0\n3,4\n", None, 3, None, "expected 3 columns (x1,x2,label), found 2"),
    ("x1,x2,label\n1,2,0,9\n", None, 2, None, "expected 3 columns (x1,x2,label), found 4"),
    ("x1,x2,label\n1,2,0\n\n1,abc,0\n", None, 4, 2, "not a number: 'abc'"),
    ("x1,x2,label\n,2,0\n", None, 2, 1, "not a number: ''"),
    ("x1,x2,label\n1,2,one\n", None, 2, 3, "not a number: 'one'"),
    ("x1,x2,label\n1,2,0\nnan,2,0\n", None, 3, 1, "not finite: 'nan'"),
    ("x1,x2,label\n1,-inf,0\n", None, 2, 2, "not finite: '-inf'"),
    ("x1,x2,label\n1,2,inf\n", None, 2, 3, "not finite: 'inf'"),
    ("x1,x2,label\n1,2,0\n1,2,-1\n", CLASSIFICATION, 3, 3, "class label is negative: -1"),
    ("x1,x2,label\n1,2,0.5\n", CLASSIFICATION, 2, 3, "class label is not a whole number: 0.5"),
    ("x1,x2,label\n1,2,0\n1,2,1\n1,2,6\n", CLASSIFICATION, 4, 3,
     "class label 6 is above the largest class 5"),
    ("x2,class,x1\n1,2,0\n1,-1,0\n", None, 3, 2, "class label is negative: -1"),
    ("x1,x2,class\n1,2,0\n", REGRESSION, 1, 3, "the class column holds classification labels"),
    ("x1,x2,value,split\n1,2,0,train\n1,2,0,validate\n", None, 3, 4,
     "'validate' is neither train nor test"),
    ("x1,x2,value,split\n1,2,0,\n", None, 2, 4, "'' is neither train nor test"),
])
def test_every_error_names_its_line_and_column(tmp_path, text, kind, line, column, problem):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CsvError) as caught:
        read_csv(path, kind=kind)
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.line, error.column) == (line, column) and problem in error.problem
    where = f"line {line}" + ("" if column is None else f", column {column}")
    assert str(error).startswith(where)
    if column is not None and line > 1:      # a cell below the header: named as well
        assert str(error).startswith(f"{where} ({error.column_name}): ")


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
    with pytest.raises(CsvError, match=r"line 202, column 3 \(class\): not a number"):
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
    with pytest.raises(CsvError, match=r"line 3, column 2 \(x2\): 1e\+308 is too far out; "
                                       "values must lie within ±10000"):
        parse_csv("x1,x2,label\n0,0,1\n0,1e308,0\n")


def test_a_long_cell_is_quoted_as_an_excerpt():
    with pytest.raises(CsvError) as caught:
        parse_csv("x1,x2,label\n0," + "z" * 1_000_000 + ",0\n")
    assert caught.value.line == 2 and caught.value.problem.startswith("not a number: 'zzz")
    assert len(str(caught.value)) < 200
