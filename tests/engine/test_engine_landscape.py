"""The loss around the parameters: every stacked value is a direct compute_loss to 1e-12, the
centre is compute_loss itself, the step profile follows the step the trainer takes, and the
directions are those of Li et al. (2018)."""
import numpy as np
import pytest

from playground.engine import Network, Trainer
from playground.engine.buffers import block_views
from playground.engine.landscape import (
    LossSurface,
    PlaneSlice,
    Trajectory,
    filter_normalized_direction,
    grid_coordinates,
    principal_directions,
    step_positions,
)

CASES = [  # (hidden activations, output, loss, output units)
    (["tanh", "relu"], "sigmoid", "bce", 1),
    (["swish", "elu"], "softmax", "cross_entropy", 3),
    (["sine"], "linear", "mse", 2),
    (["softplus", "leaky_relu", "sigmoid"], "softmax", "mse", 3),
]


def _problem(case, l1=0.01, l2=0.02, n=40, seed=0):
    hidden, output, loss, units = case
    rng = np.random.default_rng(seed)
    net = Network([3, *([4] * len(hidden)), units], activation=hidden, output_activation=output,
                  loss=loss, l1=l1, l2=l2, seed=seed)
    net.parameters = rng.normal(0.0, 0.8, net.parameters.size)
    X = rng.normal(0.0, 1.0, (n, 3))
    if loss == "bce":
        Y = rng.integers(0, 2, (n, 1)).astype(float)
    elif output == "softmax":
        Y = np.eye(units)[rng.integers(0, units, n)]
    else:
        Y = rng.normal(0.0, 1.0, (n, units))
    return net, X, Y


def _direct(net, parameters, X, Y):
    twin = net.with_precision("float64")
    twin.parameters = parameters
    return twin.compute_loss(X, Y)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("memory", [None, 1])     # 1 byte: one network per chunk
def test_every_stacked_loss_is_a_direct_engine_evaluation(case, memory):
    net, X, Y = _problem(case)
    surface = LossSurface(net, X, Y) if memory is None else LossSurface(net, X, Y, memory)
    rng = np.random.default_rng(1)
    stack = net.parameters + rng.normal(0.0, 0.5, (9, net.parameters.size))
    expected = [_direct(net, point, X, Y) for point in stack]
    np.testing.assert_allclose(surface.losses(stack), expected, rtol=1e-12, atol=0)
    assert surface.chunk == (1 if memory == 1 else 512)


def test_the_centre_is_compute_loss_itself():
    net, X, Y = _problem(CASES[1])
    surface = LossSurface(net, X, Y)
    assert surface.loss == net.compute_loss(X, Y)          # the same code: bit for bit
    stack = np.stack([net.parameters + 0.1, net.parameters, net.parameters - 0.1])
    assert surface.losses(stack)[1] == surface.loss
    before = net.parameters.copy()
    surface.exact(before + 1.0)
    np.testing.assert_array_equal(net.parameters, before)   # the surface works on its own copy
    np.testing.assert_array_equal(surface.net.parameters, before)


def test_a_plane_slice_computed_row_by_row_equals_direct_evaluations():
    net, X, Y = _problem(CASES[0])
    surface = LossSurface(net, X, Y)
    rng = np.random.default_rng(2)
    directions = [filter_normalized_direction(net.parameters, net.layer_sizes, rng)
                  for _ in range(2)]
    a = grid_coordinates(1.0, 7)
    plane = PlaneSlice(surface, directions, a, a)
    assert np.isnan(plane.values).all() and not plane.done
    assert plane.compute_rows(2) == 2 and np.isnan(plane.values[2:]).all()
    while not plane.done:
        plane.compute_rows(3)
    assert a[3] == 0.0 and plane.values[3, 3] == net.compute_loss(X, Y)
    for i, j in [(0, 0), (1, 5), (6, 2), (3, 6)]:
        point = net.parameters + a[j] * directions[0] + a[i] * directions[1]
        assert plane.values[i, j] == pytest.approx(_direct(net, point, X, Y), rel=1e-12)


def test_filter_normalised_directions_scale_each_neuron_to_its_weights():
    net, _, _ = _problem(CASES[3])
    net.weights[1][:, 2] = 0.0                       # a neuron whose weights are all 0
    direction = filter_normalized_direction(net.parameters, net.layer_sizes,
                                            np.random.default_rng(3))
    for block, weights in zip(block_views(direction, net.layer_sizes),
                              block_views(net.parameters, net.layer_sizes)):
        np.testing.assert_allclose(np.linalg.norm(block[:-1], axis=0),
                                   np.linalg.norm(weights[:-1], axis=0), rtol=1e-14)
        assert np.all(block[-1] == 0.0)              # biases are not perturbed
    assert np.all(block_views(direction, net.layer_sizes)[1][:, 2] == 0.0)


def test_principal_directions_span_the_trajectorys_plane():
    rng = np.random.default_rng(4)
    centre = rng.normal(size=20)
    u, v = np.linalg.qr(rng.normal(size=(20, 2)))[0].T
    coordinates = np.column_stack([np.linspace(3.0, 0.0, 12) ** 2, np.sin(np.arange(12))])
    points = centre + coordinates @ np.stack([u, v])
    directions, explained = principal_directions(points, centre)
    np.testing.assert_allclose(directions @ directions.T, np.eye(2), atol=1e-12)
    # the two directions span the plane of u and v
    np.testing.assert_allclose(np.linalg.norm(directions @ np.stack([u, v]).T, axis=1), 1.0)
    assert explained[0] >= explained[1] > 0 and explained.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="three points that do not lie on one line"):
        principal_directions(centre + np.outer(np.arange(5.0), u), centre)


def test_projection_recovers_the_coordinates_on_non_orthogonal_directions():
    net, X, Y = _problem(CASES[2])
    surface = LossSurface(net, X, Y)
    rng = np.random.default_rng(5)
    d1 = rng.normal(size=net.parameters.size)
    d2 = d1 + rng.normal(size=net.parameters.size)          # far from orthogonal to d1
    points = surface.centre + np.outer([0.3, -1.5], d1) + np.outer([-0.2, 0.7], d2)
    np.testing.assert_allclose(surface.project(points, [d1, d2]), [[0.3, -0.2], [-1.5, 0.7]],
                               rtol=1e-10)


@pytest.mark.parametrize("optimizer, l1", [("sgd", 0.0), ("adam", 0.02), ("momentum", 0.0)])
def test_the_step_profile_follows_the_step_the_trainer_takes(optimizer, l1):
    net, X, Y = _problem(CASES[0], l1=l1, l2=0.01)
    trainer = Trainer(net, optimizer=optimizer, learning_rate=0.3, batch_size=16, seed=6)
    for _ in range(3):
        trainer.train_batch(X, Y)
    if l1:                          # weights on L1's kink at 0, where L is not differentiable
        net.weights[0][0] = 0.0
    rows = trainer.upcoming_batch(len(X))
    preview = trainer.preview_step(X[rows], Y[rows])
    surface = LossSurface(net, X[rows], Y[rows])
    profile = surface.step_profile(preview.parameters, 0.3)
    result = trainer.train_batch(X, Y)                        # the step itself
    np.testing.assert_array_equal(result.indices, rows)
    np.testing.assert_array_equal(net.parameters, preview.parameters)
    assert profile.landing_loss == net.compute_loss(X[rows], Y[rows])
    assert profile.s[20] == 1.0 and profile.t[20] == 0.3 and profile.losses[0] == profile.loss
    assert profile.losses[20] == pytest.approx(profile.landing_loss, rel=1e-12)
    # the tangent: a one-sided difference quotient along the step
    h = 1e-7
    change = preview.parameters - surface.centre
    quotient = (surface.exact(surface.centre + h * change) - profile.loss) / h
    assert profile.slope == pytest.approx(quotient, rel=1e-5, abs=1e-9)
    if optimizer == "sgd":          # D = -lr g: the slope per unit t is -|g|^2
        assert profile.slope / 0.3 == pytest.approx(-profile.gradient_norm_sq, rel=1e-9)
    if l1:                          # the step leaves the kink: the one-sided slope counts it
        assert np.any(change[:4] != 0.0)


def test_a_preview_leaves_the_trainer_as_it_was():
    net, X, Y = _problem(CASES[0])
    twin_net = net.with_precision("float64")
    trainer = Trainer(net, optimizer="adam", learning_rate=0.05, batch_size=16, seed=7)
    twin = Trainer(twin_net, optimizer="adam", learning_rate=0.05, batch_size=16, seed=7)
    for index in range(5):
        if index % 2:
            trainer.preview_step(X, Y)                          # another batch size too
        rows = trainer.upcoming_batch(len(X))
        trainer.preview_step(X[rows], Y[rows])
        a, b = trainer.train_batch(X, Y), twin.train_batch(X, Y)
        assert a.loss == b.loss
    np.testing.assert_array_equal(net.parameters, twin_net.parameters)
    assert trainer.state_dict() == twin.state_dict()
    assert trainer.train_epoch(X, Y) == twin.train_epoch(X, Y)


def test_upcoming_batch_names_the_next_rows_at_the_start_of_an_epoch_and_within_it():
    net, X, Y = _problem(CASES[0], n=37)
    trainer = Trainer(net, batch_size=10, seed=8)
    for _ in range(6):                          # crosses an epoch boundary (4 batches each)
        rows = trainer.upcoming_batch(len(X))
        np.testing.assert_array_equal(trainer.train_batch(X, Y).indices, rows)


def test_the_trajectory_keeps_the_recent_points_and_restarts_for_a_new_network():
    trajectory = Trajectory(capacity=3)
    for value in range(5):
        trajectory.record(np.full(4, float(value)))
    np.testing.assert_array_equal(trajectory.points()[:, 0], [2.0, 3.0, 4.0])
    trajectory.record(np.zeros(6))
    assert len(trajectory) == 1 and trajectory.points().shape == (1, 6)


def test_grid_and_step_positions_put_the_centre_and_the_step_exactly():
    assert grid_coordinates(0.7, 31)[15] == 0.0 and grid_coordinates(0.7, 31)[-1] == 0.7
    assert list(step_positions(2.0, 5)) == [0.0, 0.5, 1.0, 1.5, 2.0]
    with pytest.raises(ValueError):
        grid_coordinates(1.0, 1)
