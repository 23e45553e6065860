"""The live plots and the decision boundary view.

- ``boundary_view``: the network's output over the data plane, with the data on top;
- ``live_plot``: the base of the live plots; ``history_plots``: loss and accuracy per epoch;
  ``layer_plots``: weight distributions and gradient norms per layer;
- their building blocks, one a module: ``growing_columns`` (bounded buffers), ``peak_bins``
  (decimation as rows arrive), ``decimated_item`` and ``curve_items`` (what is drawn),
  ``legend``, ``stepped_range``, ``log_axis`` and ``hover_readout``.
"""
