"""The configuration's vocabulary matches the engine it configures."""
from playground import config, engine


def test_activation_optimizer_and_precision_names_are_the_engines_registries():
    # the window offers config's names without loading the engine: a name added to one
    # registry and not the other would be a choice that fails, or one never offered
    assert config.ACTIVATION_NAMES == tuple(engine.ACTIVATIONS)
    assert config.OPTIMIZER_NAMES == tuple(engine.OPTIMIZERS)
    assert config.PRECISION_NAMES == tuple(engine.PRECISIONS)
    assert config.Hyperparameters().precision == config.PRECISION_NAMES[0]


def test_initializer_names_are_the_engines_and_each_builds_a_network():
    from playground.session import Playground

    assert set(config.INITIALIZER_NAMES) - {config.DEFAULT_INITIALIZER} <= set(engine.INITIALIZERS)
    for name in config.INITIALIZER_NAMES:
        spec = config.NetworkSpec(init=name)
        Playground(config.PlaygroundConfig(network=spec))


def test_zero_initialisation_starts_every_weight_at_zero():
    import numpy as np

    from playground.session import Playground

    playground = Playground(config.PlaygroundConfig(network=config.NetworkSpec(init="zeros")))
    assert not np.any(playground.network.parameters)
    playground.reset(seed=7)
    assert not np.any(playground.network.parameters)
