"""Lessons from several folders: shipped first, then the user's; broken files left out with a
message; a file the user opens is read with the same care as a saved playground."""
import os

import pytest

from playground.config import PlaygroundConfig
from playground.lessons import (MAX_LESSON_BYTES, all_lessons, lessons, make_lesson,
                                read_lesson_file, read_lesson_folders, save_lesson,
                                user_lessons_folder)
from playground.storage import StorageError


def test_the_user_folder_is_inside_the_data_folder(tmp_path):
    assert user_lessons_folder(tmp_path) == tmp_path / "lessons"


def test_shipped_lessons_come_first_then_the_users_in_file_name_order(tmp_path):
    folder = user_lessons_folder(tmp_path)
    folder.mkdir()
    for name, title in (("b.json", "Second of mine"), ("a.json", "First of mine")):
        save_lesson(folder / name, make_lesson(title, "Text.", PlaygroundConfig()))
    (folder / "c.json").write_text("{", encoding="utf-8")
    (folder / "notes.txt").write_text("not a lesson", encoding="utf-8")
    found, problems = all_lessons(folder)
    assert [item.title for item in found] == \
        [item.title for item in lessons()] + ["First of mine", "Second of mine"]
    assert [item.key for item in found[-2:]] == ["a", "b"]
    assert problems == ("c.json was left out of the lessons: lesson c is not valid JSON "
                        "(Expecting property name enclosed in double quotes at line 1, "
                        "column 2)",)


def test_a_user_without_a_lessons_folder_sees_the_shipped_ones(tmp_path):
    assert all_lessons(user_lessons_folder(tmp_path)) == (lessons(), ())
    assert read_lesson_folders([tmp_path / "missing"]) == ((), ())


def test_an_oversized_or_binary_lesson_file_is_refused(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_LESSON_BYTES + 1))
    with pytest.raises(StorageError, match="lesson big.json is larger than 4 MB"):
        read_lesson_file(big)
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe")
    with pytest.raises(StorageError, match="not UTF-8 text"):
        read_lesson_file(tmp_path / "bin.json")
    with pytest.raises(StorageError, match="is not a regular file"):
        read_lesson_file(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_is_refused_without_waiting(tmp_path):
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    with pytest.raises(StorageError, match="not a regular file"):
        read_lesson_file(pipe)
    found, problems = read_lesson_folders([tmp_path])
    # a plain open would wait for a writer for ever; the test's time limit would catch it
    assert found == () and "pipe.json was left out" in problems[0]


def test_a_lesson_file_opened_by_the_user_reads_as_it_was_saved(tmp_path):
    path = tmp_path / "mine.json"
    save_lesson(path, make_lesson("Mine", "*Try* it.", PlaygroundConfig()))
    item = read_lesson_file(path)
    assert (item.key, item.title, item.text) == ("mine", "Mine", "*Try* it.")


def test_the_users_folder_is_read_again_only_where_files_changed(tmp_path, monkeypatch):
    import playground.lessons.library as library

    folder = user_lessons_folder(tmp_path)
    folder.mkdir()
    for name in ("a", "b"):
        save_lesson(folder / f"{name}.json", make_lesson(f"Lesson {name}", "Text.",
                                                         PlaygroundConfig()))
    all_lessons(folder)
    opened = []
    read = library.read_lesson_file
    monkeypatch.setattr(library, "read_lesson_file", lambda path: (opened.append(path.name),
                                                                   read(path))[1])
    all_lessons(folder)                       # the Lessons menu opened again: nothing read
    assert opened == []
    save_lesson(folder / "b.json", make_lesson("Lesson b, longer title", "Text.",
                                               PlaygroundConfig()))
    found, _ = all_lessons(folder)
    assert opened == ["b.json"] and found[-1].title == "Lesson b, longer title"


def test_a_folder_lists_a_bounded_number_of_lessons(tmp_path, monkeypatch):
    import playground.lessons.library as library

    monkeypatch.setattr(library, "MAX_LESSONS_PER_FOLDER", 3)
    folder = user_lessons_folder(tmp_path)
    folder.mkdir()
    for index in range(5):
        save_lesson(folder / f"{index}.json", make_lesson(f"L{index}", "T.", PlaygroundConfig()))
    found, problems = read_lesson_folders([folder])
    assert [item.title for item in found] == ["L0", "L1", "L2"]
    assert problems == ("only the first 3 of the 5 lesson files in the lessons folder are "
                        "listed",)
