"""Settings as text: every config the controls can make comes back equal; bad text is refused
with a message naming the key, and nothing else."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground import limits
from playground.config import (ACTIVATION_NAMES, INITIALIZER_NAMES, OPTIMIZER_NAMES,
                               PRECISION_NAMES, PROBLEM_TYPES, REGULARIZATIONS, DataSpec,
                               Hyperparameters, NetworkSpec, PlaygroundConfig)
from playground.data import FEATURE_NAMES, GENERATORS
from playground.settings_text import (KEY_BY_PATH, MAX_TEXT_CHARACTERS, SETTINGS,
                                      SettingsError, config_paths, format_settings,
                                      parse_settings)
from playground.validation import check_config


def within(low, high):
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


seeds = st.integers(0, limits.MAX_SEED)


@st.composite
def configs(draw) -> PlaygroundConfig:
    """Any config the controls can set: every field anywhere within its limits."""
    layers = tuple(draw(st.lists(st.integers(limits.MIN_UNITS, limits.MAX_UNITS),
                                 max_size=limits.MAX_HIDDEN_LAYERS)))
    activations = draw(st.one_of(
        st.sampled_from(ACTIVATION_NAMES).map(lambda name: (name,) * len(layers)),
        st.lists(st.sampled_from(ACTIVATION_NAMES), min_size=len(layers),
                 max_size=len(layers)).map(tuple)))
    data = DataSpec(
        generator=draw(st.sampled_from(sorted(GENERATORS))),
        problem=draw(st.sampled_from(PROBLEM_TYPES)),
        n_samples=draw(st.integers(1, limits.MAX_POINTS)),
        noise=draw(within(*limits.NOISE_RANGE)),
        train_ratio=draw(within(*limits.TRAIN_RATIO_RANGE)),
        classes=draw(st.integers(limits.MIN_CLASSES, limits.MAX_CLASSES)),
        seed=draw(seeds))
    network = NetworkSpec(
        hidden_layers=layers, activations=activations,
        features=tuple(draw(st.lists(st.sampled_from(FEATURE_NAMES), min_size=1, unique=True))),
        seed=draw(seeds), init=draw(st.sampled_from(INITIALIZER_NAMES)))
    hyper = Hyperparameters(
        learning_rate=draw(within(*limits.LEARNING_RATE_RANGE)),
        batch_size=draw(st.integers(*limits.BATCH_SIZE_RANGE)),
        optimizer=draw(st.sampled_from(OPTIMIZER_NAMES)),
        regularization=draw(st.sampled_from(REGULARIZATIONS)),
        regularization_rate=draw(st.one_of(st.just(0.0),
                                           within(*limits.REGULARIZATION_RATE_RANGE))),
        epochs_per_second=draw(st.one_of(st.none(), within(*limits.EPOCHS_PER_SECOND_RANGE))),
        shuffle_seed=draw(seeds),
        precision=draw(st.sampled_from(PRECISION_NAMES)))
    config = PlaygroundConfig(data, network, hyper)
    check_config(config)
    return config


@settings(max_examples=300, deadline=None)
@given(configs())
def test_every_config_the_controls_can_make_comes_back_equal(config):
    assert parse_settings(format_settings(config)) == config


@settings(max_examples=50, deadline=None)
@given(configs())
def test_the_text_survives_a_chat_that_joins_the_lines(config):
    text = format_settings(config)
    assert parse_settings(" ".join(text.split()) + "  ") == config


def test_the_default_playground_reads_as_the_readme_shows():
    assert format_settings(PlaygroundConfig()) == (
        "backprop-playground:1\n"
        "dataset=circle problem=classification points=500 noise=0 train=0.5 classes=2 "
        "data_seed=0\n"
        "features=x1,x2 layers=4,2 activation=tanh net_seed=0\n"
        "lr=0.03 batch=10 optimizer=sgd reg=none reg_rate=0 speed=30 shuffle_seed=0\n")


def test_the_precision_is_written_only_when_it_is_float32():
    single = PlaygroundConfig(hyper=Hyperparameters(precision="float32"))
    assert format_settings(single).endswith("shuffle_seed=0 precision=float32\n")
    assert parse_settings(format_settings(single)) == single
    assert "precision" not in format_settings(PlaygroundConfig())
    with pytest.raises(SettingsError, match="precision is 'float16'; it must be one of float64"):
        parse_settings("backprop-playground:1 precision=float16")


def test_mixed_activations_and_no_hidden_layer_are_spelt_out():
    mixed = PlaygroundConfig(network=NetworkSpec((3, 2), ("relu", "tanh")))
    assert "activation=relu,tanh" in format_settings(mixed)
    bare = PlaygroundConfig(network=NetworkSpec((), ()))
    assert "layers=none" in format_settings(bare) and "activation" not in format_settings(bare)
    assert parse_settings(format_settings(bare)) == bare


def test_the_initializer_is_written_only_when_it_is_not_the_default():
    zeros = PlaygroundConfig(network=NetworkSpec(init="zeros"))
    assert "init=zeros" in format_settings(zeros)
    assert parse_settings(format_settings(zeros)) == zeros
    assert "init" not in format_settings(PlaygroundConfig())
    with pytest.raises(SettingsError, match="init is 'ones'; it must be one of default, xavier"):
        parse_settings("backprop-playground:1 init=ones")


def test_missing_keys_take_a_new_playgrounds_defaults():
    config = parse_settings("backprop-playground:1 lr=0.3 layers=8,8,8 activation=relu "
                            "dataset=bumps speed=12.5")
    expected = PlaygroundConfig(
        DataSpec(generator="bumps", problem="regression"),
        NetworkSpec(hidden_layers=(8, 8, 8), activations=("relu",) * 3),
        Hyperparameters(learning_rate=0.3, epochs_per_second=12.5))
    assert config == expected
    assert parse_settings("backprop-playground:1 layers=5") == PlaygroundConfig(
        network=NetworkSpec(hidden_layers=(5,), activations=("tanh",)))


def test_every_setting_of_a_playground_has_exactly_one_key():
    # a new config field needs a line in SETTINGS (and in FILE_FORMAT.md), or it is not shared
    assert set(KEY_BY_PATH) == config_paths()
    assert len(KEY_BY_PATH) == len(SETTINGS)


def test_every_key_is_documented_in_the_file_format():
    from pathlib import Path
    doc = (Path(__file__).parents[1] / "docs" / "FILE_FORMAT.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.key}`" in doc, setting.key


@pytest.mark.parametrize("text, message", [
    ("", "the settings text is empty"),
    ("lr=0.3", "it starts with 'lr=0.3' instead of backprop-playground:1"),
    ("backprop-playground:2 lr=0.3", "version 2; this app reads version 1 \\(please update"),
    ("backprop-playground:1 lr", "'lr' is not a key=value pair"),
    ("backprop-playground:1 learning_rate=0.3",
     "unknown key 'learning_rate' \\(in 'learning_rate=0.3'\\); the keys are dataset, problem"),
    ("backprop-playground:1 lr=0.3 lr=0.1", "lr is given twice"),
    ("backprop-playground:1 lr=fast", "lr: 'fast' is not a number \\(in 'lr=fast'\\)"),
    ("backprop-playground:1 lr=nan", "lr: 'nan' is not a number"),
    ("backprop-playground:1 lr=1e999", "lr: '1e999' is too large"),
    ("backprop-playground:1 lr=200", "lr is 200.0; it must be 1e-07..100"),
    ("backprop-playground:1 batch=10.5", "batch: '10.5' is not a whole number"),
    ("backprop-playground:1 batch=0", "batch is 0; it must be 1..20,000"),
    ("backprop-playground:1 points=-5", "points: '-5' is not a whole number"),
    ("backprop-playground:1 noise=0.9", "noise is 0.9; it must be 0..0.5"),
    ("backprop-playground:1 train=0.05", "train is 0.05; it must be 0.1..0.9"),
    ("backprop-playground:1 classes=7", "classes is 7; it must be 2..6"),
    ("backprop-playground:1 dataset=swirl", "dataset is 'swirl'; it must be one of circle"),
    ("backprop-playground:1 problem=ranking", "problem is 'ranking'; it must be one of"),
    ("backprop-playground:1 layers=4,64", "layers\\[1\\] is 64; it must be 1..32"),
    ("backprop-playground:1 layers=1,1,1,1,1,1,1,1,1", "the number of layers is 9"),
    ("backprop-playground:1 layers=4,,2", "layers: '' is not a whole number"),
    ("backprop-playground:1 activation=tanh,relu,relu",
     "activation names 3 activations for 2 hidden layers"),
    ("backprop-playground:1 activation=gelu", "activation\\[0\\] is 'gelu'; it must be one of"),
    ("backprop-playground:1 features=", "features\\[0\\] is ''; it must be one of"),
    ("backprop-playground:1 features=x1,x1", "features names a feature twice"),
    ("backprop-playground:1 optimizer=lbfgs", "optimizer is 'lbfgs'; it must be one of sgd"),
    ("backprop-playground:1 reg=dropout", "reg is 'dropout'; it must be one of none, l1, l2"),
    ("backprop-playground:1 reg_rate=1e-9", "reg_rate is 1e-09; it must be 0 or 1e-07..100"),
    ("backprop-playground:1 speed=100", "speed is 100.0; it must be max \\(as fast as possible\\) "
                                        "or 1..60"),
    ("backprop-playground:1 speed=fast", "speed: 'fast' is not a number"),
    ("backprop-playground:1 data_seed=99999999999999999999",
     "data_seed is 99999999999999999999; it must be 0..9,223,372,036,854,775,807"),
])
def test_bad_settings_are_refused_naming_the_key(text, message):
    with pytest.raises(SettingsError, match=message):
        parse_settings(text)


def test_hostile_text_is_refused_quickly_with_a_short_message():
    with pytest.raises(SettingsError, match=f"at most {MAX_TEXT_CHARACTERS:,}"):
        parse_settings("backprop-playground:1 " + "x" * 10**6)
    long_value = "backprop-playground:1 dataset=" + "a" * 3000
    with pytest.raises(SettingsError) as caught:
        parse_settings(long_value)
    assert len(str(caught.value)) < 200 and "..." in str(caught.value)
    with pytest.raises(SettingsError, match="'9999.*' is not a whole number"):
        parse_settings("backprop-playground:1 net_seed=" + "9" * 2000)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([s.key for s in SETTINGS] + ["junk"]),
                          st.text(max_size=12)), max_size=8))
def test_any_text_gives_a_valid_config_or_a_settings_error(pairs):
    text = "backprop-playground:1 " + " ".join(f"{key}={value}" for key, value in pairs)
    try:
        config = parse_settings(text)
    except SettingsError as error:
        assert str(error)
    else:
        check_config(config)
