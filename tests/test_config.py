"""The configuration's vocabulary matches the engine it configures."""
from playground import config, engine


def test_activation_optimizer_and_precision_names_are_the_engines_registries():
    # the window offers config's names without loading the engine: a name added to one
    # registry and not the other would be a choice that fails, or one never offered
    assert config.ACTIVATION_NAMES == tuple(engine.ACTIVATIONS)
    assert config.OPTIMIZER_NAMES == tuple(engine.OPTIMIZERS)
    assert config.PRECISION_NAMES == tuple(engine.PRECISIONS)
    assert config.Hyperparameters().precision == config.PRECISION_NAMES[0]
