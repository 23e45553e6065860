"""Toy 2-D dataset generators and their registry.

The classification geometry and colours follow the classic TensorFlow web playground's
src/dataset.ts (circle, xor, gauss, spiral; its label -1 is class 0 here, +1 class 1), plus moons
and blobs; the regression surfaces are plane and bumps from the web playground, plus saddle and
ripple. Every point lies in DATA_EXTENT², so views can draw a fixed plane (the few Gaussian
points beyond it are clamped onto its edge). README.md lists what still differs from the classic.

Noise (0 .. 0.5), as in the classic where it can be:
- spiral moves each coordinate by uniform(-1, 1) · noise, as the classic;
- gauss widens its clusters to variance 0.5 + 7 · noise, as the classic; blobs widen likewise;
- circle, xor and moons move each coordinate by uniform(-1, 1) · noise · NOISE_DISPLACEMENT: at
  0.5 that is ±1 unit, enough to close the gaps between classes (1 unit for circle) yet keep a
  radius-5 pattern inside ±6. (The classic instead flips labels by evaluating them at a point
  displaced by up to ±5 · noise; moving the points keeps every class exactly balanced and shows
  the noise where it is.)
- regression adds uniform(-1, 1) · noise to each value (the classic evaluates the surface at a
  point displaced by up to ±6 · noise).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from playground.config import CLASSIFICATION, REGRESSION
from playground.data.dataset import MAX_CLASSES, MIN_CLASSES, Dataset
from playground.limits import NOISE_RANGE

DATA_EXTENT = (-6.0, 6.0)
# the painter's range of values; noise-free surfaces lie in it, but for the plane's corners
# (up to ±1.2, as in the classic)
REGRESSION_RANGE = (-1.0, 1.0)
NOISE_DISPLACEMENT = 2.0   # circle, xor and moons: see the module's note

# f(n_per_class or n, noise, rng, classes) -> (X, y)
GeneratorFunction = Callable[[int, float, np.random.Generator, int], tuple[np.ndarray, np.ndarray]]


def class_sizes(n: int, k: int) -> list[int]:
    """Split n points into k class sizes differing by at most one."""
    return [n // k + (1 if c < n % k else 0) for c in range(k)]


def _polar(r: np.ndarray, angle: np.ndarray) -> np.ndarray:
    # The web playground's convention: x = r sin t, y = r cos t.
    return np.column_stack((r * np.sin(angle), r * np.cos(angle)))


def _displace(points: np.ndarray, noise: float, rng: np.random.Generator,
              scale: float = NOISE_DISPLACEMENT) -> np.ndarray:
    return points + rng.uniform(-1.0, 1.0, size=points.shape) * noise * scale


def _labels(sizes: list[int]) -> np.ndarray:
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


# -- classification -------------------------------------------------------------------------------
def circle(n: int, noise: float, rng: np.random.Generator, classes: int):
    """Class 1 inside radius 2.5, class 0 on the ring 3.5..5 (radius uniform, as the web)."""
    n_ring, n_inner = class_sizes(n, 2)
    inner = _polar(rng.uniform(0.0, 2.5, n_inner), rng.uniform(0.0, 2 * np.pi, n_inner))
    ring = _polar(rng.uniform(3.5, 5.0, n_ring), rng.uniform(0.0, 2 * np.pi, n_ring))
    return _displace(np.vstack((ring, inner)), noise, rng), _labels([n_ring, n_inner])


def xor(n: int, noise: float, rng: np.random.Generator, classes: int):
    """Points in [-5.3, 5.3]² at least 0.3 from both axes (the classic draws uniform(-5, 5) and
    pads it away from 0 by 0.3); class 1 where x1·x2 > 0."""
    sizes = class_sizes(n, 2)
    magnitude = rng.uniform(0.0, 5.0, size=(n, 2)) + 0.3
    sign_x1 = rng.choice((-1.0, 1.0), size=n)
    # class 1 lies in quadrants I and III (signs agree), class 0 in II and IV
    agree = np.where(_labels(sizes) == 1, 1.0, -1.0)
    points = magnitude * np.column_stack((sign_x1, sign_x1 * agree))
    return _displace(points, noise, rng), _labels(sizes)


def gauss(n: int, noise: float, rng: np.random.Generator, classes: int):
    """Class 1 around (2, 2), class 0 around (-2, -2); variance 0.5 + 7·noise (0.5 .. 4 over
    the noise range 0 .. 0.5), as the classic."""
    sizes = class_sizes(n, 2)
    std = np.sqrt(0.5 + 7.0 * noise)
    centres = np.repeat(np.array([[-2.0, -2.0], [2.0, 2.0]]), sizes, axis=0)
    return centres + rng.normal(0.0, std, size=(n, 2)), _labels(sizes)


def spiral(n: int, noise: float, rng: np.random.Generator, classes: int):
    """``classes`` interleaved arms, each growing to radius 5 over 1.75 turns.

    Arm c starts at angle π·(1 + 2c/classes) mod 2π: with two classes, class 0 is the classic's
    arm rotated by π (its label -1, drawn like class 0 of the other datasets) and class 1 the arm
    starting at 0 (its +1).
    """
    sizes = class_sizes(n, classes)
    arms = []
    for arm, m in enumerate(sizes):
        fraction = np.arange(m) / max(m, 1)
        turn = 1.75 * fraction * 2 * np.pi + np.pi * ((1 + 2 * arm / classes) % 2)
        arms.append(_polar(5.0 * fraction, turn))
    return _displace(np.vstack(arms), noise, rng, scale=1.0), _labels(sizes)


def moons(n: int, noise: float, rng: np.random.Generator, classes: int):
    """Two interleaved half circles of radius 3 (class 0 opens downwards, class 1 upwards)."""
    n_upper, n_lower = class_sizes(n, 2)
    t_upper = rng.uniform(0.0, np.pi, n_upper)
    t_lower = rng.uniform(0.0, np.pi, n_lower)
    upper = np.column_stack((np.cos(t_upper), np.sin(t_upper)))
    lower = np.column_stack((1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)))
    # centre the unit-size pair on the origin, then scale it to the data plane
    points = 3.0 * (np.vstack((upper, lower)) - np.array([0.5, 0.25]))
    return _displace(points, noise, rng), _labels([n_upper, n_lower])


def blobs(n: int, noise: float, rng: np.random.Generator, classes: int):
    """``classes`` round blobs whose centres sit evenly on a circle of radius 3.5."""
    sizes = class_sizes(n, classes)
    angles = np.pi / 4 + 2 * np.pi * np.arange(classes) / classes
    centres = 3.5 * np.column_stack((np.cos(angles), np.sin(angles)))
    std = 0.5 + 1.5 * noise
    points = np.repeat(centres, sizes, axis=0) + rng.normal(0.0, std, size=(n, 2))
    return points, _labels(sizes)


# -- regression -----------------------------------------------------------------------------------
_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],
                   [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], dtype=np.float64)


def plane_surface(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """(x1 + x2) / 10 as the classic: ±1.2 in two corners of the plane."""
    return (x1 + x2) / 10.0


def bumps_surface(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """Six cones of height ±1 and radius 2 (the web playground's "gaussian"); strongest wins."""
    heights = np.stack([sign * np.clip(1.0 - np.hypot(x1 - cx, x2 - cy) / 2.0, 0.0, None)
                        for cx, cy, sign in _BUMPS])
    strongest = np.argmax(np.abs(heights), axis=0)
    return np.take_along_axis(heights, strongest[None, :], axis=0)[0]


def saddle_surface(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    return x1 * x2 / 36.0


def ripple_surface(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """Concentric waves with a period of 6 units around the origin."""
    return np.cos(np.pi * np.hypot(x1, x2) / 3.0)


def _regression(surface: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> GeneratorFunction:
    def generate(n: int, noise: float, rng: np.random.Generator, classes: int):
        points = rng.uniform(*DATA_EXTENT, size=(n, 2))
        values = surface(points[:, 0], points[:, 1]) + rng.uniform(-1.0, 1.0, n) * noise
        return points, values
    generate.__doc__ = surface.__doc__
    return generate


# -- registry -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GeneratorEntry:
    """A registered generator: its problem kind, function, display label and class limit.

    Iterating an entry yields ``(kind, function)``, so ``kind, fn = GENERATORS[name]`` works as
    the architecture note describes.
    """

    kind: str
    function: GeneratorFunction
    label: str
    max_classes: int  # 2 for fixed two-class generators, MAX_CLASSES for k-class, 0 regression

    @property
    def multiclass(self) -> bool:
        return self.max_classes > MIN_CLASSES

    def __iter__(self):
        return iter((self.kind, self.function))


GENERATORS: dict[str, GeneratorEntry] = {
    "circle": GeneratorEntry(CLASSIFICATION, circle, "Circle", 2),
    "xor": GeneratorEntry(CLASSIFICATION, xor, "Exclusive or", 2),
    "gauss": GeneratorEntry(CLASSIFICATION, gauss, "Gaussian", 2),
    "spiral": GeneratorEntry(CLASSIFICATION, spiral, "Spiral", MAX_CLASSES),
    "moons": GeneratorEntry(CLASSIFICATION, moons, "Moons", 2),
    "blobs": GeneratorEntry(CLASSIFICATION, blobs, "Blobs", MAX_CLASSES),
    "plane": GeneratorEntry(REGRESSION, _regression(plane_surface), "Plane", 0),
    "bumps": GeneratorEntry(REGRESSION, _regression(bumps_surface), "Gaussian bumps", 0),
    "saddle": GeneratorEntry(REGRESSION, _regression(saddle_surface), "Saddle", 0),
    "ripple": GeneratorEntry(REGRESSION, _regression(ripple_surface), "Ripple", 0),
}


def generator_names(kind: str | None = None) -> tuple[str, ...]:
    """Registered names, optionally only those of one problem kind."""
    return tuple(name for name, entry in GENERATORS.items() if kind in (None, entry.kind))


def _is_int(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def make_dataset(name: str, n: int = 500, noise: float = 0.0, seed: int = 0,
                 classes: int = 2) -> Dataset:
    """Generate ``n`` points of a registered dataset, deterministically from ``seed``.

    ``classes`` (2..6) sets the number of arms/blobs for multi-class generators; the other
    classification generators accept only 2, regression generators ignore it. Classes are
    balanced (sizes differ by at most one) and the rows come shuffled.
    """
    entry = GENERATORS.get(name)
    if entry is None:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(GENERATORS)}")
    if not _is_int(n) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    noise = float(noise)
    if not NOISE_RANGE[0] <= noise <= NOISE_RANGE[1]:
        raise ValueError(f"noise must be in [{NOISE_RANGE[0]}, {NOISE_RANGE[1]}], got {noise!r}")
    if entry.kind == CLASSIFICATION:
        if not _is_int(classes) or not MIN_CLASSES <= classes <= entry.max_classes:
            allowed = (f"{MIN_CLASSES}..{entry.max_classes}" if entry.multiclass
                       else f"only {MIN_CLASSES}")
            raise ValueError(f"{name} supports classes {allowed}, got {classes!r}")
        n_classes = int(classes)
    else:
        n_classes = 0
    rng = np.random.default_rng(seed)
    X, y = entry.function(int(n), noise, rng, n_classes)
    order = rng.permutation(int(n))
    X = np.clip(X[order], *DATA_EXTENT)  # a few Gaussian tails; keeps the fixed plane honest
    return Dataset(X, y[order], entry.kind, n_classes)
