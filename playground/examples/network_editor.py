"""Edit a network while a real worker trains it:
``python -m playground.examples network_editor [--deep] [--epochs N] [--screenshot PATH]``.

``--deep`` starts from 8 hidden layers of 32 neurons on the spiral. With ``--screenshot``, trains
N epochs (200 if not given), saves the editor and exits.
"""
from __future__ import annotations

from playground.config import DataSpec, NetworkSpec, PlaygroundConfig
from playground.examples.running import (application, finish, option, screenshot_wanted,
                                         wait_until)
from playground.qt.network.editor import NetworkEditor
from playground.qt.worker import TrainingController

DEEP = NetworkSpec(hidden_layers=(32,) * 8, activations=("tanh",) * 8,
                   features=("x1", "x2", "x1_sq", "x2_sq", "sin_x1", "sin_x2"))


def main(argv: list[str]) -> int:
    app = application(argv)
    deep = "--deep" in argv
    spec = DEEP if deep else NetworkSpec()
    config = PlaygroundConfig(data=DataSpec(generator="spiral" if deep else "circle",
                                            n_samples=300, noise=0.1), network=spec)
    controller = TrainingController(config)
    editor = NetworkEditor(spec)
    editor.setWindowTitle("Backprop Playground — network editor")
    editor.resize(1000, 650)
    controller.sigSnapshot.connect(editor.show_snapshot)
    controller.sigConfigChanged.connect(lambda c: editor.set_network_spec(c.network))
    editor.sigNetworkChanged.connect(controller.set_network)
    editor.sigParameterEdited.connect(controller.set_parameter)
    try:
        if not screenshot_wanted(argv):
            controller.play()
            return finish(app, editor, argv)
        epochs = int(option(argv, "--epochs", "200"))
        for _ in range(epochs):
            controller.step_epoch()
        wait_until(app, lambda: controller.latest_snapshot is not None
                   and controller.latest_snapshot.epoch >= epochs, 120.0)
        editor.show_snapshot(controller.latest_snapshot)
        while editor.view.links_pending:                # every link layer in its latest style
            editor.view.flush_links()
        return finish(app, editor, argv, indexed=True)
    finally:
        controller.shutdown()
