"""Each panel of the window run alone, on real training: ``python -m playground.examples`` lists
them, ``python -m playground.examples NAME [options]`` runs one.

Every example takes ``--screenshot PATH``: it then saves the panel as a PNG and exits at once
(the tests run each one that way, offscreen). The examples stand on top of every layer: they may
use Qt, the session and the engine, and no product module imports them.
"""
from __future__ import annotations

import importlib
import sys

# name -> what it shows; the module playground.examples.<name> has main(argv) -> exit code
EXAMPLES = {
    "plots": "the four live plots (loss, accuracy, weights, gradients) of a training run",
    "boundary": "the decision boundary: [circle|three_class|regression] [--test] [--discretize]",
    "network_editor": "edit a network while it trains: [--deep] [--epochs N]",
    "inspector": "the backprop inspector after one mini-batch: [--three-class] [--adam] "
                 "[--tab N] [--scroll-right] [--network [--beat N]]",
    "dataset_painter": "paint three classes with the mouse and train on them",
    "settings": "the data panel and the training controls, printing each change",
    "about": "the About dialog",
}


def usage() -> str:
    """How to run an example, and every example with what it shows."""
    width = max(len(name) for name in EXAMPLES)
    lines = ["python -m playground.examples NAME [options] [--screenshot PATH]", ""]
    lines += [f"  {name:<{width}}  {text}" for name, text in EXAMPLES.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """List the examples, or run the one named first in ``argv`` with the rest as its options."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(usage())
        return 0
    name, options = argv[0], argv[1:]
    if name not in EXAMPLES:
        print(f"no example named {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    example = importlib.import_module(f"playground.examples.{name}")
    return example.main([f"playground.examples {name}", *options])
