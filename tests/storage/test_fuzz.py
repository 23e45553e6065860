"""1,000 mutations of a real saved playground: each one is a StorageError with a clear message.

Raw damage (truncations, byte flips, inserted bytes) must be caught by the integrity checksum;
damage behind a *valid* checksum (members swapped or replaced, oversized .npy headers, edited
manifests, a pickled object array) must be caught by the checks behind it. No other exception,
nothing unpickled, nothing executed, and the playground that is open stays exactly as it was.
"""
import collections
import copy
import hashlib
import io
import json
import pickle
import time

import numpy as np
import pytest

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.data import Append, apply_edit
from playground.session import Playground
from playground.storage import StorageError, capture
from playground.storage import format as fmt
from playground.storage.playground_state import restore

N_MUTATIONS = 1000
SEED = 20261128


def _saved_playground() -> Playground:
    pg = Playground(PlaygroundConfig(
        data=DataSpec(generator="spiral", n_samples=80, noise=0.1, seed=1),
        network=NetworkSpec(hidden_layers=(4, 3), activations=("tanh", "relu"),
                            features=("x1", "x2", "x1_x2"), seed=2),
        hyper=Hyperparameters(optimizer="adam", learning_rate=0.02, batch_size=6,
                              regularization="l2", regularization_rate=0.001)))
    dataset, _ = apply_edit(pg.dataset, Append(np.array([[0.1, 0.2]]), np.array([1])))
    pg.set_dataset(dataset)
    pg.step_epoch()
    pg.step_epoch()
    pg.step_batch()
    return pg


class _Payload:
    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


class Mutator:
    """Makes damaged variants of ``data``; each method returns (category, bytes)."""

    def __init__(self, data: bytes, surgery, marker, rng: np.random.Generator):
        self.data, self.surgery, self.rng, self.marker = data, surgery, rng, marker
        self.members = surgery.members(data)
        self.manifest = json.loads(self.members[fmt.MANIFEST])
        self.array_members = [name for name in self.members if name != fmt.MANIFEST]

    def pick(self, items):
        return items[int(self.rng.integers(len(items)))]

    # -- raw damage: the checksum's job ------------------------------------------------------
    def truncate(self):
        cut = int(self.rng.integers(0, len(self.data)))
        return "truncation", self.data[:cut]

    def flip(self):
        damaged = bytearray(self.data)
        for position in self.rng.integers(0, len(damaged), size=int(self.rng.integers(1, 9))):
            damaged[position] ^= int(self.rng.integers(1, 256))
        return "byte flip", bytes(damaged)

    def insert(self):
        position = int(self.rng.integers(0, len(self.data)))
        extra = self.rng.integers(0, 256, size=int(self.rng.integers(1, 64)), dtype=np.uint8)
        return "inserted bytes", self.data[:position] + extra.tobytes() + self.data[position:]

    # -- damage behind a valid checksum ------------------------------------------------------
    def swap(self):
        a, b = self.rng.choice(len(self.array_members), size=2, replace=False)
        a, b = self.array_members[a], self.array_members[b]
        members = dict(self.members)
        members[a], members[b] = members[b], members[a]
        # half keep the manifest's digests (they catch it), half get fixed digests, so the
        # shape, dtype and consistency checks have to (skip pairs that are interchangeable)
        fix = bool(self.rng.integers(2))
        if fix and self._same_declaration(a, b):
            fix = False
        return "swapped members", self.surgery.rebuild(members, fix_digests=fix)

    def _same_declaration(self, a, b):
        declared = self.manifest["arrays"]
        strip = len(fmt.ARRAY_FOLDER)
        keep = ("dtype", "shape")
        return ({k: declared[a[strip:]][k] for k in keep}
                == {k: declared[b[strip:]][k] for k in keep})

    def replace_member(self):
        name = self.pick(self.array_members)
        members = dict(self.members)
        if self.rng.integers(2):
            buffer = io.BytesIO()
            np.save(buffer, np.array([_Payload(self.marker)], dtype=object), allow_pickle=True)
            members[name] = buffer.getvalue()
            return "pickled object array", self.surgery.rebuild(members)
        length = int(self.rng.integers(0, len(members[name]) * 2 + 1))
        members[name] = self.rng.integers(0, 256, size=length, dtype=np.uint8).tobytes()
        return "random member bytes", self.surgery.rebuild(members, fix_digests=bool(
            self.rng.integers(2)))

    def oversized_header(self):
        name = self.pick(self.array_members)
        members = dict(self.members)
        original = members[name]
        header_length = int(self.rng.integers(1025, 65536))
        header = (b"{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"
                  .ljust(header_length - 1) + b"\n")
        members[name] = (original[:8] + header_length.to_bytes(2, "little") + header
                         + original[10 + int.from_bytes(original[8:10], "little"):])
        return "oversized .npy header", self.surgery.rebuild(members)

    def manifest_edit(self):
        manifest = copy.deepcopy(self.manifest)
        edit = self.pick([self._delete_key, self._retype_leaf, self._bad_version,
                          self._bad_shape, self._bad_dtype, self._bad_value])
        edit(manifest)
        members = dict(self.members)
        members[fmt.MANIFEST] = json.dumps(manifest).encode()
        return f"manifest edit ({edit.__name__[1:]})", self.surgery.rebuild(members,
                                                                          fix_digests=False)

    def _containers(self, node, found):
        if isinstance(node, dict):
            found.append(node)
            for value in node.values():
                self._containers(value, found)
        elif isinstance(node, list):
            for value in node:
                self._containers(value, found)
        return found

    def _leaves(self, node, found, parent=None, key=None):
        if isinstance(node, dict):
            for k, value in node.items():
                self._leaves(value, found, node, k)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                self._leaves(value, found, node, i)
        else:
            found.append((parent, key))
        return found

    def _delete_key(self, manifest):
        containers = [c for c in self._containers(manifest, []) if c]
        container = self.pick(containers)
        del container[self.pick(list(container))]

    def _retype_leaf(self, manifest):
        parent, key = self.pick(self._leaves(manifest, []))
        value = parent[key]
        if isinstance(value, str):
            parent[key] = self.pick([12345, [value], {"x": 1}, -1.5])
        else:  # a number or null: something that is neither
            parent[key] = self.pick(["text", [value], {"x": value}])

    def _bad_version(self, manifest):
        manifest["format_version"] = self.pick([0, -1, fmt.FORMAT_VERSION + 1, 99, "1", 1.0, None])

    def _bad_shape(self, manifest):
        spec = manifest["arrays"][self.pick(list(manifest["arrays"]))]
        dim = int(self.rng.integers(len(spec["shape"]))) if spec["shape"] else None
        if dim is None:
            spec["shape"] = [1]
        else:
            spec["shape"][dim] = max(0, spec["shape"][dim] + int(self.pick([-3, -1, 1, 2, 10**9])))
            if self.rng.integers(4) == 0:
                spec["shape"].append(1)

    def _bad_dtype(self, manifest):
        spec = manifest["arrays"][self.pick(list(manifest["arrays"]))]
        options = ["|O", "<U8", "V8", ">f8", "<c16", "<f2", "<f8", "<i8", "|b1", "<f4"]
        spec["dtype"] = self.pick([d for d in options if d != spec["dtype"]])

    def _bad_value(self, manifest):
        content = manifest["content"]
        self.pick([
            lambda: content["config"]["hyper"].update(learning_rate=-0.1),
            lambda: content["config"]["hyper"].update(batch_size=0),
            lambda: content["config"]["hyper"].update(optimizer="lbfgs"),
            lambda: content["config"]["data"].update(train_ratio=1.5),
            lambda: content["config"]["network"].update(activations=["tanh", "gelu"]),
            lambda: content["config"]["network"].update(features=["x1", "x3", "x1_x2"]),
            lambda: content["config"]["network"].update(hidden_layers=[4, 3, 2]),
            lambda: content["dataset"].update(n_classes=9),
            lambda: content["dataset"].update(kind="regression"),
            lambda: content["network"].update(loss="mse"),
            lambda: content["network"].update(seed=3),
            lambda: content["trainer"]["state"].update(batch_index=-2),
            lambda: content["trainer"]["state"].update(epoch_loss_sum={"__float__": "nan"}),
            lambda: content["trainer"]["state"]["rng"]["state"].update(inc=-1),
            lambda: content["trainer"]["optimizer"].update(t=2.5),
        ])()

    def oversized_manifest(self):
        members = dict(self.members)
        members[fmt.MANIFEST] = b'{"pad": "' + b"x" * (fmt.MAX_MANIFEST_BYTES + 1) + b'"}'
        return "oversized manifest", self.surgery.rebuild(members, fix_digests=False)

    def schedule(self):
        """(method, count) adding up to N_MUTATIONS."""
        return [(self.truncate, 200), (self.flip, 250), (self.insert, 50), (self.swap, 100),
                (self.replace_member, 100), (self.oversized_header, 50),
                (self.manifest_edit, 248), (self.oversized_manifest, 2)]


def test_one_thousand_mutations_each_give_a_clear_storage_error(surgery, tmp_path, monkeypatch):
    marker = tmp_path / "code-ran"
    open_playground = _saved_playground()
    original = fmt.encode_archive(capture(open_playground))
    restore(fmt.decode_archive(original))               # the unmutated file opens

    def no_pickle(*args, **kwargs):
        raise AssertionError("pickle was used while loading")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, no_pickle)

    mutator = Mutator(original, surgery, marker, np.random.default_rng(SEED))
    messages = collections.defaultdict(collections.Counter)
    seen = set()
    started = time.perf_counter()
    total = 0
    for method, count in mutator.schedule():
        for _ in range(count):
            category, data = method()
            total += 1
            assert data != original, category
            with pytest.raises(StorageError) as caught:
                restore(fmt.decode_archive(data))
            message = str(caught.value)
            assert len(message) >= 15 and "\n" not in message, message
            # a clear message names the problem, not an internal Python error
            assert not any(internal in message for internal in
                           ("TypeError", "KeyError", "AttributeError", "IndexError")), message
            messages[category.split(" (")[0]][message[:70]] += 1
            seen.add(hashlib.sha256(data).hexdigest())
    elapsed = time.perf_counter() - started

    assert total == N_MUTATIONS
    assert len(seen) > 0.8 * N_MUTATIONS   # few repeats (a small manifest offers few edits)
    assert not marker.exists(), "a pickled payload ran"
    assert fmt.encode_archive(capture(open_playground)) == original
    print(f"\n{N_MUTATIONS} mutations ({len(seen)} distinct files) in {elapsed:.1f} s")
    for category, counter in messages.items():
        print(f"  {category}: {sum(counter.values())}, e.g. {counter.most_common(2)}")
