"""Classroom mode's registry: the controls a lesson may hide or lock, by stable id."""
import pytest

from playground.classroom import CONTROLS, HIDDEN, LOCKED, SHOWN, Classroom


def test_the_controls_a_teacher_expects_are_registered_with_labels():
    expected = {"learning_rate", "batch_size", "optimizer", "activation", "regularization",
                "dataset", "noise", "train_ratio", "features", "layers", "reset", "speed",
                "painter", "inspector"}
    assert expected <= set(CONTROLS)
    assert all(control.label and control.panel for control in CONTROLS.values())
    assert len({control.label for control in CONTROLS.values()}) == len(CONTROLS)


def test_each_control_is_shown_hidden_or_locked():
    classroom = Classroom(hidden=frozenset({"optimizer"}), locked=frozenset({"dataset"}))
    assert [classroom.state(name) for name in ("optimizer", "dataset", "noise")] == \
        [HIDDEN, LOCKED, SHOWN]
    assert Classroom().is_open and not classroom.is_open
    with pytest.raises(KeyError):
        classroom.state("nonsense")


def test_unknown_or_doubly_named_controls_are_refused():
    with pytest.raises(ValueError, match="hidden names the unknown control 'lr'"):
        Classroom(hidden=frozenset({"lr"}))
    with pytest.raises(ValueError, match="locked names 'noise', which is hidden too"):
        Classroom(hidden=frozenset({"noise"}), locked=frozenset({"noise"}))
