"""Toy datasets, input features, targets, CSV import/export and undoable edits (pure NumPy).

Nothing in this package imports Qt; a layering test checks it.
"""
from playground.data.csvio import (CsvError, CsvPoints, parse_csv, parse_csv_points, read_csv,
                                  read_csv_points, write_csv)
from playground.data.dataset import MAX_CLASSES, MIN_CLASSES, Dataset, split
from playground.data.edits import (
    EDIT_TYPES, Append, Batch, Clear, Delete, Edit, Insert, Move, Relabel, SetClassCount,
    apply_edit, indices_near, merge_edits,
)
from playground.data.features import (
    DEFAULT_FEATURES, FEATURE_NAMES, FEATURES, Feature, check_feature_names, feature_label,
    feature_matrix,
)
from playground.data.generators import (
    DATA_EXTENT, GENERATORS, NOISE_RANGE, REGRESSION_RANGE, GeneratorEntry, class_sizes,
    generator_names, make_dataset,
)
from playground.data.targets import class_targets, one_hot, predicted_classes, targets

__all__ = [
    "Append", "Batch", "Clear", "CsvError", "CsvPoints", "DATA_EXTENT", "DEFAULT_FEATURES",
    "Dataset", "Delete", "EDIT_TYPES", "Edit", "FEATURES", "FEATURE_NAMES", "Feature", "GENERATORS",
    "GeneratorEntry", "Insert", "MAX_CLASSES", "MIN_CLASSES", "Move", "NOISE_RANGE",
    "REGRESSION_RANGE", "Relabel", "SetClassCount", "apply_edit", "check_feature_names",
    "class_sizes", "class_targets", "feature_label", "feature_matrix", "generator_names",
    "indices_near", "make_dataset", "merge_edits", "one_hot", "parse_csv", "parse_csv_points",
    "predicted_classes", "read_csv", "read_csv_points", "split", "targets", "write_csv",
]
