"""A lesson's goal: described in words, and checked on the history as the lesson panel will."""
import numpy as np
import pytest

from playground.lessons import MISSED, PENDING, REACHED, Goal, GoalProgress, evaluate_goal
from playground.lessons import lesson

EPOCHS = np.arange(1, 7)
LOSS = np.array([0.9, 0.5, np.nan, 0.08, 0.2, 0.05])


@pytest.mark.parametrize("goal, words", [
    (Goal("test_loss", "<", 0.1), "test loss below 0.1"),
    (Goal("test_accuracy", ">=", 0.95, 500), "test accuracy at least 95 % within 500 epochs"),
    (Goal("train_accuracy", ">", 0.5, 1), "training accuracy above 50 % within 1 epoch"),
    (Goal("train_loss", "<=", 2), "training loss at most 2"),
])
def test_a_goal_reads_as_a_sentence(goal, words):
    assert goal.describe() == words


@pytest.mark.parametrize("goal, progress", [
    (Goal("test_loss", "<", 0.1), GoalProgress(REACHED, 4)),
    (Goal("test_loss", "<=", 0.5), GoalProgress(REACHED, 2)),
    (Goal("test_loss", ">", 0.6), GoalProgress(REACHED, 1)),
    (Goal("test_loss", "<", 0.1, within_epochs=4), GoalProgress(REACHED, 4)),
    (Goal("test_loss", "<", 0.07, within_epochs=5), GoalProgress(MISSED)),
    (Goal("test_loss", "<", 0.07, within_epochs=6), GoalProgress(REACHED, 6)),
    (Goal("test_loss", "<", 0.01, within_epochs=50), GoalProgress(PENDING)),
    (Goal("test_loss", "<", 0.01), GoalProgress(PENDING)),
])
def test_the_first_epoch_that_meets_the_goal_is_reported(goal, progress):
    assert evaluate_goal(goal, EPOCHS, LOSS) == progress


def test_nan_never_meets_a_goal_and_an_empty_history_is_pending():
    assert evaluate_goal(Goal("test_loss", "<", 1.0), [5], [np.nan]) == GoalProgress(PENDING)
    assert evaluate_goal(Goal("test_loss", "<", 1.0, 3), [], []) == GoalProgress(PENDING)


def test_a_thinned_history_reports_the_recorded_epoch():
    assert evaluate_goal(Goal("train_loss", "<", 0.5), [1, 64, 128], [1.0, 0.4, 0.3]) \
        == GoalProgress(REACHED, 64)


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="same length"):
        evaluate_goal(Goal("test_loss", "<", 1.0), [1, 2], [0.5])


def test_a_real_run_reaches_its_goal_and_an_impossible_one_is_missed():
    playground = lesson("Three classes with softmax").build()
    for _ in range(40):
        playground.step_epoch()
    epochs = playground.history.column("epochs")
    reached = evaluate_goal(Goal("test_accuracy", ">=", 0.99, 40), epochs,
                            playground.history.column("test_accuracy"))
    assert reached.reached and 1 <= reached.epoch <= 40
    assert playground.history.column("test_accuracy")[reached.epoch - 1] >= 0.99
    missed = evaluate_goal(Goal("train_loss", "<", 1e-9, 30), epochs,
                           playground.history.column("train_loss"))
    assert missed == GoalProgress(MISSED)
