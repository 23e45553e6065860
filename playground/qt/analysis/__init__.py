"""Views beyond the classic playground: the loss along the step, the loss landscape, compare runs.

- ``slope_panel``: the Slope panel, the loss along the optimizer's step with its tangent and
  where the step lands;
- ``landscape_panel``: a slice of the loss landscape around the weights, with the path;
- ``loss_view_docks``: both panels' docks, asking the worker for their numbers only while shown;
- ``pinned_runs``: the runs kept for comparison (pin, show, hide, remove; saved with the file);
- ``runs_panel``: the list of pinned runs beside the plots, with "Pin this run";
- ``ghost_curves``: pinned runs drawn faintly under the live loss and accuracy curves;
- ``comparison_image``: the loss and accuracy plots with their ghosts as one PNG.

Like every view, these render snapshots and send commands; the numbers are the worker's
(``playground.live_loss_views``, ``playground.runs``).
"""
