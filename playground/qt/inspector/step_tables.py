"""The matrix tables of the step on show, shared by the inspector's pages.

Every matrix of the step gets a table and a model, kept by (kind, layer) so the panel and the
tests can read any of them. Tables whose rows are the mini-batch's samples frame the sample
under the mouse in every one of them and scroll together, so a row is the same sample
everywhere.
"""
from __future__ import annotations

from playground.qt.inspector.matrix_table import MatrixModel, MatrixTable


class StepTables:
    """The models of the step's matrices by (kind, layer), and its sample tables in order."""

    def __init__(self) -> None:
        self.models: dict[tuple[str, int], MatrixModel] = {}
        self.sample_tables: list[MatrixTable] = []

    def clear(self) -> None:
        """Forget every table (a new step, or none)."""
        self.models.clear()
        self.sample_tables.clear()

    def matrix(self, kind: str, layer: int, name: str, values, rows, columns, samples: bool,
               row_labels: bool = False) -> MatrixTable:
        """A table of ``values``, its model kept as (kind, layer); ``samples`` when its rows are
        the batch's samples."""
        model = MatrixModel(name, values, rows, columns, sample_rows=samples)
        self.models[(kind, layer)] = model
        table = MatrixTable(model, show_row_labels=row_labels)
        if samples:
            self.add_sample_table(table)
        return table

    def add_sample_table(self, table: MatrixTable) -> None:
        """Join the shared sample highlight and scroll with the other sample tables."""
        self.sample_tables.append(table)
        table.sigHoverRow.connect(self.highlight_sample)
        table.verticalScrollBar().valueChanged.connect(self.sync_scroll)

    def remove_sample_table(self, table: MatrixTable | None) -> None:
        """Stop syncing with a table that is being replaced."""
        if table in self.sample_tables:
            self.sample_tables.remove(table)

    def highlight_sample(self, row: int) -> None:
        """Frame sample ``row`` in every sample table (-1: none)."""
        for table in self.sample_tables:
            table.model().set_highlighted_row(row)

    def sync_scroll(self, value: int) -> None:
        """Scroll every sample table to the same rows."""
        for table in self.sample_tables:
            bar = table.verticalScrollBar()
            if bar.value() != value:
                bar.setValue(value)
