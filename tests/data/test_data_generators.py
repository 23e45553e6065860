"""make_dataset: shapes, dtypes, balance, determinism, geometry, noise and argument checks."""
import numpy as np
import pytest

from playground.config import CLASSIFICATION, REGRESSION
from playground.data import (
    DATA_EXTENT, GENERATORS, REGRESSION_RANGE, Dataset, generator_names, make_dataset,
)
from playground.data import generators

CLASSIFIERS = generator_names(CLASSIFICATION)
REGRESSORS = generator_names(REGRESSION)
MULTICLASS = [name for name, entry in GENERATORS.items() if entry.multiclass]


def test_registry_lists_the_required_generators():
    assert {"circle", "xor", "gauss", "spiral", "moons", "blobs"} <= set(CLASSIFIERS)
    assert {"plane", "bumps"} <= set(REGRESSORS) and len(REGRESSORS) >= 3
    assert set(MULTICLASS) == {"spiral", "blobs"}
    kind, function = GENERATORS["spiral"]  # the architecture's (kind, function) reading
    assert kind == CLASSIFICATION and callable(function)


@pytest.mark.parametrize("name", CLASSIFIERS)
@pytest.mark.parametrize("n", [1, 7, 500])
def test_classification_shapes_dtypes_and_balance(name, n):
    ds = make_dataset(name, n=n, noise=0.2, seed=3)
    assert ds.X.shape == (n, 2) and ds.X.dtype == np.float64
    assert ds.y.shape == (n,) and ds.y.dtype == np.int64
    assert ds.kind == CLASSIFICATION and ds.n_classes == 2
    counts = ds.class_counts()
    assert counts.sum() == n and counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", MULTICLASS)
@pytest.mark.parametrize("classes", [2, 3, 4, 5, 6])
def test_multiclass_generators_balance_k_classes(name, classes):
    ds = make_dataset(name, n=301, noise=0.1, seed=1, classes=classes)
    assert ds.n_classes == classes
    counts = ds.class_counts()
    assert len(counts) == classes and counts.min() >= 301 // classes
    assert counts.max() - counts.min() <= 1


SURFACES = {"plane": generators.plane_surface, "bumps": generators.bumps_surface,
            "saddle": generators.saddle_surface, "ripple": generators.ripple_surface}


@pytest.mark.parametrize("name", REGRESSORS)
@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_regression_values_are_the_surface_within_the_noise(name, noise):
    ds = make_dataset(name, n=400, noise=noise, seed=2)
    assert ds.kind == REGRESSION and ds.n_classes == 0
    assert ds.y.dtype == np.float64 and ds.y.shape == (400,)
    surface = SURFACES[name](ds.X[:, 0], ds.X[:, 1])
    assert np.abs(surface).max() <= 1.2 + 1e-12
    assert np.abs(ds.y - surface).max() <= noise + 1e-12
    assert ds.y.std() > 0.1  # a real surface, not a constant


def test_noise_free_surfaces_lie_in_the_painters_range_but_for_the_planes_corners():
    points = np.random.default_rng(3).uniform(*DATA_EXTENT, size=(20000, 2))
    for name, surface in SURFACES.items():
        values = surface(points[:, 0], points[:, 1])
        inside = np.abs(points.sum(axis=1)) <= 10 if name == "plane" else slice(None)
        assert REGRESSION_RANGE[0] <= values[inside].min(), name
        assert values[inside].max() <= REGRESSION_RANGE[1], name


def test_regression_ignores_the_class_count():
    assert make_dataset("plane", classes=5) == make_dataset("plane", classes=2)


@pytest.mark.parametrize("name", list(GENERATORS))
@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_points_stay_in_the_fixed_data_plane(name, noise):
    classes = 6 if GENERATORS[name].multiclass else 2
    ds = make_dataset(name, n=2000, noise=noise, seed=4, classes=classes)
    assert DATA_EXTENT[0] <= ds.X.min() and ds.X.max() <= DATA_EXTENT[1]


@pytest.mark.parametrize("name", list(GENERATORS))
def test_same_seed_same_data_other_seed_other_data(name):
    a = make_dataset(name, n=200, noise=0.3, seed=11)
    b = make_dataset(name, n=200, noise=0.3, seed=11)
    c = make_dataset(name, n=200, noise=0.3, seed=12)
    assert a == b and np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)


def test_arrays_are_read_only():
    ds = make_dataset("circle")
    with pytest.raises(ValueError):
        ds.X[0, 0] = 1.0
    with pytest.raises(ValueError):
        ds.y[0] = 1


def _radius(ds: Dataset) -> np.ndarray:
    return np.hypot(ds.X[:, 0], ds.X[:, 1])


def test_circle_geometry_without_noise():
    ds = make_dataset("circle", n=1000, seed=5)
    inner, ring = _radius(ds)[ds.y == 1], _radius(ds)[ds.y == 0]
    assert inner.max() <= 2.5 + 1e-12
    assert ring.min() >= 3.5 - 1e-12 and ring.max() <= 5.0 + 1e-12


def test_circle_noise_blurs_the_gap_within_its_bound():
    ds = make_dataset("circle", n=1000, noise=0.5, seed=5)
    inner, ring = _radius(ds)[ds.y == 1], _radius(ds)[ds.y == 0]
    assert inner.max() > 2.5 and ring.min() < 3.5  # the gap is crossed...
    # ...but each coordinate moved by at most noise * 2 = 1
    assert inner.max() <= 2.5 + np.sqrt(2) + 1e-9


def test_xor_geometry_without_noise():
    # the classic pads uniform(-5, 5) away from the axes by 0.3: |x| from 0.3 to 5.3
    ds = make_dataset("xor", n=1000, seed=6)
    assert np.abs(ds.X).min() >= 0.3 and np.abs(ds.X).max() <= 5.3
    assert np.abs(ds.X).max() > 5.25 and np.mean(np.abs(ds.X) > 5.0) > 0.03
    product = ds.X[:, 0] * ds.X[:, 1]
    assert np.array_equal(ds.y, (product > 0).astype(np.int64))


def test_gauss_blob_centres_and_spread():
    ds = make_dataset("gauss", n=4000, seed=7)
    assert np.allclose(ds.X[ds.y == 1].mean(axis=0), [2, 2], atol=0.1)
    assert np.allclose(ds.X[ds.y == 0].mean(axis=0), [-2, -2], atol=0.1)
    assert np.allclose(ds.X[ds.y == 1].std(axis=0), np.sqrt(0.5), atol=0.05)
    # the classic's variance 0.5 + 7 noise: 1.9 at noise 0.2 (few points reach the plane's edge)
    wide = make_dataset("gauss", n=4000, noise=0.2, seed=7)
    assert np.allclose(wide.X[wide.y == 1].std(axis=0), np.sqrt(1.9), atol=0.06)


@pytest.mark.parametrize("classes", [2, 3, 6])
def test_spiral_arms_grow_to_radius_five_over_1_75_turns(classes):
    ds = make_dataset("spiral", n=600, seed=0, classes=classes)
    r = _radius(ds)
    assert r.max() <= 5.0 + 1e-12 and r.max() > 4.9
    for arm in range(classes):
        points = ds.X[ds.y == arm]
        radius = np.hypot(points[:, 0], points[:, 1])
        order = np.argsort(radius)[1:]  # skip the centre point, whose angle is undefined
        # x = r sin t, y = r cos t: unwrap the angle along the arm and count the turns
        angle = np.unwrap(np.arctan2(points[order, 0], points[order, 1]))
        m = len(points)
        turns = (angle[-1] - angle[0]) / (2 * np.pi)
        assert turns == pytest.approx(1.75 * (m - 2) / m, abs=1e-9)
        first = np.pi * (1 + 2 * arm / classes) + 1.75 * 2 * np.pi / m  # each arm rotated
        assert np.cos(angle[0] - first) == pytest.approx(1.0)


def classic_spiral(n: int) -> dict[int, np.ndarray]:
    """The classic's classifySpiralData without noise, its labels -1/+1 as classes 0/1."""
    points = {}
    half = n / 2
    for delta_t, label in ((0.0, 1), (np.pi, 0)):
        i = np.arange(int(half))
        r = i / half * 5
        t = 1.75 * i / half * 2 * np.pi + delta_t
        points[label] = np.column_stack((r * np.sin(t), r * np.cos(t)))
    return points


def _sorted_rows(points: np.ndarray) -> np.ndarray:
    return points[np.lexsort(np.round(points, 9).T)]


def test_two_class_spiral_is_the_classics_with_its_colours():
    ds = make_dataset("spiral", n=500, seed=3)
    for label, expected in classic_spiral(500).items():
        np.testing.assert_allclose(_sorted_rows(ds.X[ds.y == label]), _sorted_rows(expected),
                                   rtol=0, atol=1e-12)


def test_spiral_noise_moves_each_coordinate_by_at_most_the_noise_as_the_classic():
    clean = make_dataset("spiral", n=600, seed=8)
    noisy = make_dataset("spiral", n=600, noise=0.5, seed=8)   # same draws, scaled by the noise
    moved = np.abs(noisy.X - clean.X)
    assert moved.max() <= 0.5 + 1e-12 and moved.max() > 0.49


def test_moons_are_two_interleaved_half_circles():
    ds = make_dataset("moons", n=1000, seed=8)
    upper, lower = ds.X[ds.y == 0], ds.X[ds.y == 1]
    assert upper[:, 1].mean() > lower[:, 1].mean()
    # each class lies exactly on its circle of radius 3
    assert np.allclose(np.hypot(upper[:, 0] + 1.5, upper[:, 1] + 0.75), 3.0)
    assert np.allclose(np.hypot(lower[:, 0] - 1.5, lower[:, 1] - 0.75), 3.0)


def test_blob_centres_are_distinct_and_tight():
    ds = make_dataset("blobs", n=1200, seed=9, classes=6)
    centres = np.array([ds.X[ds.y == c].mean(axis=0) for c in range(6)])
    assert np.allclose(np.hypot(centres[:, 0], centres[:, 1]), 3.5, atol=0.15)
    gaps = np.hypot(*(centres[:, None, :] - centres[None, :, :]).transpose(2, 0, 1))
    assert gaps[~np.eye(6, dtype=bool)].min() > 3.0


def test_plane_is_the_web_playgrounds_diagonal_plane():
    ds = make_dataset("plane", n=2000, seed=1)
    assert np.allclose(ds.y, (ds.X[:, 0] + ds.X[:, 1]) / 10.0)
    assert ds.y.max() > 1.1 and ds.y.min() < -1.1      # the classic's corners, not clipped


def test_bumps_peak_at_their_centres():
    from playground.data.generators import bumps_surface
    centres = np.array([[-4, 2.5], [0, 2.5], [4, 2.5], [-4, -2.5], [0, -2.5], [4, -2.5]])
    assert np.allclose(bumps_surface(centres[:, 0], centres[:, 1]), [1, -1, 1, -1, 1, -1])
    assert bumps_surface(np.array([-2.0]), np.array([0.0]))[0] == 0.0


def test_regression_noise_changes_values_by_at_most_noise():
    clean = make_dataset("saddle", n=500, seed=3)
    noisy = make_dataset("saddle", n=500, noise=0.2, seed=3)
    truth = noisy.X[:, 0] * noisy.X[:, 1] / 36.0
    deviation = np.abs(noisy.y - truth)
    assert deviation.max() <= 0.2 + 1e-12 and deviation.max() > 0.1
    assert np.allclose(clean.y, clean.X[:, 0] * clean.X[:, 1] / 36.0)


@pytest.mark.parametrize("noise", [-0.01, 0.51, float("nan"), 1.0])
def test_noise_outside_its_range_is_refused(noise):
    with pytest.raises(ValueError, match=r"noise must be in \[0.0, 0.5\]"):
        make_dataset("circle", noise=noise)


@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_noise_bounds_are_allowed(noise):
    assert make_dataset("spiral", noise=noise).n == 500


@pytest.mark.parametrize("classes", [1, 7, 0, 2.5, True])
@pytest.mark.parametrize("name", MULTICLASS)
def test_multiclass_range_is_checked(name, classes):
    with pytest.raises(ValueError, match=r"classes 2\.\.6"):
        make_dataset(name, classes=classes)


@pytest.mark.parametrize("name", ["circle", "xor", "gauss", "moons"])
def test_two_class_generators_refuse_other_class_counts(name):
    with pytest.raises(ValueError, match="only 2"):
        make_dataset(name, classes=3)


def test_unknown_name_and_bad_n_are_refused():
    with pytest.raises(ValueError, match="circle, xor"):
        make_dataset("donut")
    for n in (0, -5, 2.0, True):
        with pytest.raises(ValueError, match="positive integer"):
            make_dataset("circle", n=n)
