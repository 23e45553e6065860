"""Content saved by older format versions, brought up to the current version on reading.

Version 5: the network's initializer (``config.network.init``; older files drew the weights
by activation, which is "default") and the per-layer samples the weights and gradient plots
show (``layers``; older files have none, written ``null``).

Version 4: the config's hyperparameters name the precision training computes in; files of
earlier versions trained in float64, and open so.

Version 3: the content has a ``pins`` section (runs pinned for comparison); older files have
none, which reads as no pinned run.

Version 2: momentum and Nesterov keep the learning rate out of the velocity, as PyTorch
does (v <- mu v + g, W <- W - lr v).  Version 1 stored v1 = -lr * v, with the learning rate of
each past step inside; dividing by the saved rate gives the velocity whose next step, at that
rate, is exactly the one version 1 would have taken, and every later one follows.
"""
from __future__ import annotations

import math

import numpy as np

from playground.config import DEFAULT_INITIALIZER

MOMENTUM_OPTIMIZERS = ("momentum", "nesterov")


def upgrade(content, version: int):
    """``content`` of a file saved with format ``version``, as the current version reads it.

    Only well-formed parts are converted; anything malformed is left for the reader's checks to
    refuse with their usual message."""
    if version < 2:
        _velocity_without_learning_rate(content)
    if version < 3 and isinstance(content, dict):
        content.setdefault("pins", [])      # runs could not be pinned before version 3
    if version < 4:
        _precision_float64(content)
    if version < 5 and isinstance(content, dict):
        content.setdefault("layers", None)  # the plots' samples were not kept before version 5
        config = content.get("config")
        network = config.get("network") if isinstance(config, dict) else None
        if isinstance(network, dict):
            network.setdefault("init", DEFAULT_INITIALIZER)
    return content


def _precision_float64(content) -> None:
    config = content.get("config") if isinstance(content, dict) else None
    hyper = config.get("hyper") if isinstance(config, dict) else None
    if isinstance(hyper, dict):
        hyper.setdefault("precision", "float64")


def _velocity_without_learning_rate(content) -> None:
    trainer = content.get("trainer") if isinstance(content, dict) else None
    if not isinstance(trainer, dict):
        return
    state, optimizer = trainer.get("state"), trainer.get("optimizer")
    if not (isinstance(state, dict) and isinstance(optimizer, dict)
            and state.get("optimizer") in MOMENTUM_OPTIMIZERS):
        return
    velocity, rate = optimizer.get("velocity"), state.get("learning_rate")
    if (not isinstance(velocity, np.ndarray) or velocity.dtype != np.float64
            or isinstance(rate, bool) or not isinstance(rate, (int, float))
            or not math.isfinite(rate) or rate < 0):
        return
    # at rate 0 version 1 would have coasted on, which no velocity can express: start afresh
    optimizer["velocity"] = -velocity / rate if rate > 0 else np.zeros_like(velocity)
