"""The samples of the weights and gradient plots, and the initializer, in a saved file (v5)."""
import numpy as np
import pytest

from playground.config import NetworkSpec, PlaygroundConfig
from playground.layer_log import LayerLog, quantiles
from playground.session import Playground
from playground.snapshot import PLAYING
from playground.snapshot_builder import SnapshotBuilder, history_since
from playground.storage import StorageError, capture, load_playground, save_playground
from playground.storage import versions
from playground.storage.playground_state import restore


def shown_run(epochs: int = 6) -> tuple[Playground, list]:
    """A playground trained as the window shows it: a snapshot after every epoch and one in
    the middle of the last epoch."""
    playground = Playground(PlaygroundConfig(network=NetworkSpec(hidden_layers=(3,),
                                                                 activations=("tanh",))))
    builder = SnapshotBuilder(10)
    snapshots = []
    for _ in range(epochs):
        playground.step_epoch()
        snapshots.append(builder.build(playground, PLAYING, history_since(playground, 0),
                                       0.0, None))
    playground.step_batch()
    snapshots.append(builder.build(playground, PLAYING, history_since(playground, 0), 0.0, None))
    return playground, snapshots


def test_the_log_samples_what_the_plots_draw_at_the_snapshots_positions():
    playground, snapshots = shown_run()
    history = playground.layer_log.history()
    assert len(history) == len(snapshots)
    np.testing.assert_array_equal(history.positions, [s.position for s in snapshots])
    assert 6 < history.positions[-1] < 7           # one mini-batch into epoch 7
    last = snapshots[-1]
    for layer, weights in enumerate(last.weights):
        np.testing.assert_array_equal(history.weight_quantiles[-1, layer], quantiles(weights))
    np.testing.assert_array_equal(history.gradient_norms[-1], last.gradient_norms)


def test_the_samples_come_back_from_a_file_and_in_the_first_snapshot(tmp_path):
    playground, _ = shown_run()
    saved = playground.layer_log.history()
    save_playground(tmp_path / "run.bpp", playground)
    opened = load_playground(tmp_path / "run.bpp")
    assert opened.layer_log.restored
    reopened = opened.layer_log.history()
    for name in ("positions", "weight_quantiles", "gradient_norms"):
        np.testing.assert_array_equal(getattr(reopened, name), getattr(saved, name))
    builder = SnapshotBuilder(10)
    first = builder.build(opened, PLAYING, history_since(opened, 0), 0.0, None)
    np.testing.assert_array_equal(first.layer_history.positions, saved.positions)
    second = builder.build(opened, PLAYING, history_since(opened, 0), 0.0, None)
    assert second.layer_history is None              # handed over once


def test_reset_and_rebuild_start_the_log_again():
    playground, _ = shown_run(2)
    playground.reset(seed=5)
    assert len(playground.layer_log) == 0
    playground, _ = shown_run(2)
    playground.set_network(NetworkSpec(hidden_layers=(2,), activations=("relu",)))
    assert len(playground.layer_log) == 0


def test_the_log_stays_bounded_and_keeps_its_first_sample():
    log = LayerLog(max_rows=8)
    weights = [np.zeros((2, 2))]
    for step in range(40):
        log.record(float(step), weights, [1.0])
    history = log.history()
    assert len(history) <= 8 and history.positions[0] == 0.0 and history.positions[-1] == 39.0
    assert np.all(np.diff(history.positions) > 0)


@pytest.mark.parametrize("version", [3, 4])
def test_a_file_of_format_3_or_4_opens_with_default_weights_and_no_samples(version):
    content = capture(shown_run(2)[0])
    del content["layers"]
    del content["config"]["network"]["init"]
    if version < 4:
        del content["config"]["hyper"]["precision"]
    opened = restore(versions.upgrade(content, version))
    assert opened.config.network.init == "default"
    assert opened.config.hyper.precision == "float64"
    assert len(opened.layer_log) == 0 and not opened.layer_log.restored


@pytest.mark.parametrize("edit, message", [
    (lambda layers: layers.update(positions=layers["positions"][::-1].copy()),
     "positions must increase"),
    (lambda layers: layers.update(gradient_norms=layers["gradient_norms"][:, :1].copy()),
     "rows of 2 layers"),
    (lambda layers: layers.pop("gradient_norms"), "layers must hold exactly"),
])
def test_inconsistent_samples_are_refused_naming_the_section(edit, message):
    content = capture(shown_run(3)[0])
    edit(content["layers"])
    with pytest.raises(StorageError, match=message):
        restore(content)


def test_zero_initialisation_is_saved_and_reopened(tmp_path):
    playground = Playground(PlaygroundConfig(network=NetworkSpec(init="zeros", seed=9)))
    save_playground(tmp_path / "zeros.bpp", playground)
    opened = load_playground(tmp_path / "zeros.bpp")
    assert opened.config.network.init == "zeros" and opened.config.network.seed == 9
    assert not np.any(opened.network.parameters)
