"""Undo for hand-edited datasets: the pure edits of ``playground.data.edits`` on a QUndoStack.

A command keeps an edit and its inverse (both computed by the pure ``apply_edit``), so undo and
redo are exact by construction. Commands of one brush stroke share a stroke number and merge into
one undo step (QUndoCommand.id/mergeWith).
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui

from playground.data import Dataset, Edit, apply_edit, merge_edits

STROKE_COMMAND_ID = 0x5EED


class DatasetDocument(QtCore.QObject):
    """The dataset being edited and its undo stack; ``sigChanged(Dataset)`` after every change."""

    sigChanged = QtCore.Signal(object)

    def __init__(self, dataset: Dataset, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.dataset = dataset
        self.stack = QtGui.QUndoStack(self)

    def apply(self, edit: Edit, text: str, stroke: int | None = None) -> bool:
        """Apply ``edit`` as an undoable step (merged into ``stroke``'s step when given).

        Returns False, changing nothing, when the edit does not fit the dataset.
        """
        try:
            result = apply_edit(self.dataset, edit)
        except (ValueError, IndexError):
            return False
        self.stack.push(DatasetEditCommand(self, edit, result, text, stroke))
        return True

    def reset(self, dataset: Dataset) -> None:
        """Start over from ``dataset`` (a new generator's output): the old steps no longer apply."""
        self.stack.clear()
        self._set(dataset)

    def _set(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.sigChanged.emit(dataset)


class DatasetEditCommand(QtGui.QUndoCommand):
    """One undo step: an edit (possibly a merged stroke) and the edit that undoes it."""

    def __init__(self, document: DatasetDocument, edit: Edit, result: tuple[Dataset, Edit],
                 text: str, stroke: int | None = None) -> None:
        super().__init__(text)
        self.document = document
        self.edit = edit
        self.stroke = stroke
        self._first_result: tuple[Dataset, Edit] | None = result   # computed by the caller
        self.inverse: Edit | None = None

    def redo(self) -> None:
        if self._first_result is not None:
            dataset, self.inverse = self._first_result
            self._first_result = None
        else:
            dataset, self.inverse = apply_edit(self.document.dataset, self.edit)
        self.document._set(dataset)

    def undo(self) -> None:
        dataset, _ = apply_edit(self.document.dataset, self.inverse)
        self.document._set(dataset)

    def id(self) -> int:
        return STROKE_COMMAND_ID if self.stroke is not None else -1

    def mergeWith(self, other: QtGui.QUndoCommand) -> bool:
        if not isinstance(other, DatasetEditCommand) or other.stroke != self.stroke:
            return False
        # ``other`` has been applied on top of this step: undoing both is other's inverse first
        self.edit = merge_edits(self.edit, other.edit)
        self.inverse = merge_edits(other.inverse, self.inverse)
        return True
