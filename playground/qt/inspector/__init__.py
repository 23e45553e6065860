"""The backprop inspector: one mini-batch step, pass by pass, with the engine's own numbers.

- ``panel``: InspectorPanel, its buttons, summary, gradient check and animation;
- ``forward_page``, ``backward_page``, ``update_page``: one page per pass, on ``pass_page``
  (tables that flow onto more rows rather than scroll sideways);
- ``step_tables``: the step's tables, shared by the pages (sample highlight, scrolling);
- ``matrix_table``: a matrix as a heatmap table; ``notation``: subscripts, numbers, labels.
"""
