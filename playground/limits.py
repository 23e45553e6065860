"""Every limit on a playground, in one place (plain numbers; imports nothing).

The controls offer exactly these ranges and the readers of files, lessons and CSV files refuse
anything outside them (``playground.validation``), so whatever the app can make it can save and
reopen, and no file can make it do what its own controls cannot. The sizes are also what keeps
the views responsive: every snapshot draws each point, neuron and weight.
"""
from __future__ import annotations

# --- network (the network editor's buttons) ---
MAX_HIDDEN_LAYERS = 8
MIN_UNITS = 1
MAX_UNITS = 32

# --- data ---
# Points in a dataset, painted or generated. A window showing 50,000 points stalls ~0.4 s
# whenever the dataset changes (pyqtgraph's scatter items); at 20,000 that stays near 0.1 s.
MAX_POINTS = 20_000
# |x1|, |x2| and |regression value| at most this: the generators' plane is ±6, and a painted
# or imported point far beyond it only shrinks the picture; squared features stay ~1e8.
COORDINATE_LIMIT = 1e4
MIN_CLASSES = 2
MAX_CLASSES = 6             # class labels 0..5, one palette colour each
NOISE_RANGE = (0.0, 0.5)
TRAIN_RATIO_RANGE = (0.1, 0.9)   # the slider's 10 % … 90 %: both parts keep some points

# --- training (the training controls) ---
LEARNING_RATE_RANGE = (1e-7, 100.0)
REGULARIZATION_RATE_RANGE = (1e-7, 100.0)   # or exactly 0
BATCH_SIZE_RANGE = (1, MAX_POINTS)
EPOCHS_PER_SECOND_RANGE = (1.0, 60.0)       # or None: as fast as possible

# --- counts and seeds ---
# Epochs, optimizer steps: far beyond any run (a billion years at 1,000 epochs a second is
# 3e19), and exact as a float64, which is how the plots hold them.
MAX_COUNT = 2**53
MAX_SEED = 2**63 - 1
MAX_HISTORY_ROWS = 1_000_000    # the epoch log thins older rows beyond this (56 MB of columns)

# --- pinned runs (compare runs) ---
# Each pin keeps five columns of its history; 8 pins of 50,000 rows add 16 MB to a saved file,
# which stays below its 96 MB bound beside a full million-row history (56 MB). A longer run is
# thinned to this many rows when pinned (a ghost curve needs no more).
MAX_PINNED_RUNS = 8
MAX_PINNED_ROWS = 50_000
MAX_THUMBNAIL_SIDE = 64         # pixels of the boundary thumbnail kept with a pin
MAX_LABEL_CHARACTERS = 80

# --- weights ---
# |weight| and |bias| at most this, so a weight squared (the L2 penalty) and the difference of
# two weights (a plot's range) stay finite. Training practically never gets there: with weights
# that large the output is huge too, and its loss or gradient overflows (a divergence) first.
PARAMETER_LIMIT = 1e150
