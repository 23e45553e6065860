"""The data panel and the dataset painter.

- ``panel``: the dataset gallery, problem type, noise, split, classes, Regenerate;
- ``painter``: DatasetPainter, the paint tool bar and its mouse on the boundary view;
- ``paint_tools``: point, brush and erase, one class each;
- ``paint_overlay``: the edited points and the brush circle drawn while painting;
- ``undo``: the dataset being edited and its undo stack.
"""
