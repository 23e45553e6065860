"""The whole algorithm in plain NumPy, to be read: the fast engine computes these same numbers.

A network is a list of layers (W, b); a batch X holds one sample per row.  One training step:

  forward   a_0 = X;  z_l = a_l W_l + b_l,  a_{l+1} = f_l(z_l)        (keep every z and a)
  loss      L = mean data loss + l1 sum|W| + l2/2 sum W^2               (weights only, not b)
  backward  delta = dL/dz at the output; then for l = last ... 0:
              dL/dW_l = a_l^T delta_l + l2 W_l,   dL/db_l = delta_l summed over the samples,
              delta_{l-1} = (delta_l W_l^T) * f'_{l-1}(z_{l-1})   -- the chain rule, reusing z, a
  update    W <- W - lr dL/dW (or another optimizer's rule), then L1 as a proximal step:
              W <- sign(W) max(|W| - lr l1, 0)   (a weight the step would carry across 0 stops at 0)

network.py and trainer.py compute exactly this (a test holds them equal to 1e-12) but are built
for speed: biases folded into the weight matrices, every parameter in one flat vector, NumPy
calls recorded once and replayed (docs/NOTES.md, "Engine speed").  This file is built to be read.
"""
from __future__ import annotations

import numpy as np


def sigmoid(z):
    return np.exp(z - np.logaddexp(0.0, z))          # 1 / (1 + e^-z), never overflows


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))     # shifted by the row's max: no overflow
    return e / e.sum(axis=1, keepdims=True)


# name: (f(z), f'(z) given z and a = f(z)).  Softmax has no elementwise derivative: see chain().
ACTIVATIONS = {
    "linear": (lambda z: z, lambda z, a: np.ones_like(z)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z, a: np.where(z > 0, 1.0, 0.0)),
    "leaky_relu": (lambda z: np.maximum(z, 0.01 * z), lambda z, a: np.where(z > 0, 1.0, 0.01)),
    "elu": (lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
            lambda z, a: np.where(z > 0, 1.0, a + 1.0)),                 # e^z below 0
    "tanh": (np.tanh, lambda z, a: 1.0 - a * a),
    "sigmoid": (sigmoid, lambda z, a: a * (1.0 - a)),
    "softplus": (lambda z: np.logaddexp(0.0, z), lambda z, a: sigmoid(z)),
    "swish": (lambda z: z * sigmoid(z), lambda z, a: sigmoid(z) + a * (1.0 - sigmoid(z))),
    "sine": (np.sin, lambda z, a: np.cos(z)),
    "softmax": (softmax, None),
}


def chain(name, z, a, grad_a):
    """dL/dz from dL/da through a = f(z): the chain rule at one layer."""
    if name == "softmax":      # each a_k depends on every z_j: Jacobian diag(a) - a a^T
        return a * (grad_a - (grad_a * a).sum(axis=1, keepdims=True))
    return grad_a * ACTIVATIONS[name][1](z, a)


def forward(layers, names, X):
    """Every pre-activation z_l and activation a_l (a_0 = X, a_L the output); ``names`` holds
    one activation per layer, the output's last."""
    zs, activations = [], [X]
    for (W, b), name in zip(layers, names):
        zs.append(activations[-1] @ W + b)
        activations.append(ACTIVATIONS[name][0](zs[-1]))
    return zs, activations


def data_loss_and_delta(loss, output_name, z, a, Y):
    """The mean data loss over the n samples and delta = dL/dz at the output layer."""
    n = len(Y)
    if loss == "bce":              # sigmoid output; per element softplus(z) - y z, from the logit
        value = np.logaddexp(-z * Y, z - z * Y).sum()   # = max(z,0) - zy + log(1 + e^-|z|): exact
        return value / n, (a - Y) / n                    # sigmoid' cancels: o - y
    if loss == "cross_entropy":    # softmax output; -log softmax(z)_k = log sum_j e^s_j - s_k
        s = z - z.max(axis=1, keepdims=True)             # s <= 0, and 0 at the largest logit
        # sum_j e^s_j = 1 + (the rest): log1p of the rest keeps a confident sample's tiny loss
        rest = np.where(s < 0, np.exp(s), 0.0).sum(axis=1) + (s == 0).sum(axis=1) - 1
        value = np.log1p(rest).sum() - (Y * s).sum()     # each row of Y sums to 1
        return value / n, (a - Y) / n                    # the softmax Jacobian cancels too
    if loss == "mse":              # 1/2 sum_k (o_k - y_k)^2, through the output's derivative
        return 0.5 * ((a - Y) ** 2).sum() / n, chain(output_name, z, a, (a - Y) / n)
    raise ValueError(f"unknown loss {loss!r}")


def penalty(layers, l1, l2):
    return sum(l1 * np.abs(W).sum() + 0.5 * l2 * (W * W).sum() for W, _ in layers)


def backward(layers, names, loss, zs, activations, Y, l2=0.0):
    """(data loss, [(dL/dW, dL/db) per layer], [delta per layer]) from the forward pass's z, a.
    The gradient holds the data loss and L2 (L1 acts after the step, see train_step)."""
    data_loss, delta = data_loss_and_delta(loss, names[-1], zs[-1], activations[-1], Y)
    gradients, deltas = [None] * len(layers), [None] * len(layers)
    for l in reversed(range(len(layers))):
        W, _ = layers[l]
        deltas[l] = delta
        gradients[l] = (activations[l].T @ delta + l2 * W, delta.sum(axis=0))
        if l > 0:                  # dL/da_l = delta_l W_l^T, then through f_{l-1}
            delta = chain(names[l - 1], zs[l - 1], activations[l], delta @ W.T)
    return data_loss, gradients, deltas


class Optimizer:
    """The update rules; ``change(g)`` is what is added to a parameter p with gradient g.
    State (velocity v, moments m and s, step count t) is kept per parameter array."""

    def __init__(self, name, mu=0.9, rho=0.9, beta1=0.9, beta2=0.999, eps=1e-8):
        self.name, self.mu, self.rho, self.eps = name, mu, rho, eps
        self.beta1, self.beta2 = beta1, beta2
        self.state, self.t = {}, 0

    def step(self, layers, gradients, lr):
        self.t += 1
        for l, ((W, b), (dW, db)) in enumerate(zip(layers, gradients)):
            W += self.change((l, "W"), dW, lr)
            b += self.change((l, "b"), db, lr)

    def change(self, key, g, lr):
        v, m = self.state.setdefault(key, (np.zeros_like(g), np.zeros_like(g)))
        if self.name == "sgd":
            return -lr * g
        if self.name in ("momentum", "nesterov"):     # v sums gradients; lr applies at the step
            v[...] = self.mu * v + g
            return -lr * (v if self.name == "momentum" else g + self.mu * v)
        if self.name == "rmsprop":                    # v: running mean of g^2
            v[...] = self.rho * v + (1 - self.rho) * g * g
            return -lr * g / (np.sqrt(v) + self.eps)
        if self.name == "adam":                       # m, v: running means of g and g^2
            m[...] = self.beta1 * m + (1 - self.beta1) * g
            v[...] = self.beta2 * v + (1 - self.beta2) * g * g
            m_hat, v_hat = m / (1 - self.beta1 ** self.t), v / (1 - self.beta2 ** self.t)
            return -lr * m_hat / (np.sqrt(v_hat) + self.eps)
        raise ValueError(f"unknown optimizer {self.name!r}")


def train_step(layers, names, loss, X, Y, optimizer, lr, l1=0.0, l2=0.0):
    """One mini-batch step, in place on ``layers``; returns the loss before the update (data
    loss + both penalties) and the gradient the optimizer stepped on."""
    zs, activations = forward(layers, names, X)
    data_loss, gradients, _ = backward(layers, names, loss, zs, activations, Y, l2)
    total = data_loss + penalty(layers, l1, l2)
    optimizer.step(layers, gradients, lr)
    for W, _ in layers:        # L1's proximal step: each weight moves lr l1 towards 0, not past
        W[...] = np.sign(W) * np.maximum(np.abs(W) - lr * l1, 0.0)
    return total, gradients
