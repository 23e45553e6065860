"""A logarithmic axis whose labels never overlap."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui


class QuietLogAxis(pg.AxisItem):
    """A log axis whose labelled ticks are always far enough apart not to overlap.

    pyqtgraph labels every minor tick (2, 3, … 9 × 10^k) of a log axis spanning few decades,
    and every decade of one spanning many; on a plot of ordinary height the labels overlap.
    Here ticks are 1 × 10^k every n decades, n chosen so labels are at least LABEL_GAP text
    heights apart, plus 2 and 5 × 10^k when a decade is tall enough for them.
    """

    LABEL_GAP = 1.8

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        span = maxVal - minVal
        if not (span > 0 and size > 0):
            return super().logTickValues(minVal, maxVal, size, stdTicks)
        min_spacing = self.LABEL_GAP * QtGui.QFontMetricsF(
            self.style.get("tickFont") or self.font()).height()
        decade_px = size / span
        stride = next(s for s in (1, 2, 3, 5, 10, 20, 50, 100, 10 ** 9)
                      if s * decade_px >= min_spacing)
        values = [float(k) for k in range(int(np.ceil(minVal)), int(np.floor(maxVal)) + 1)
                  if k % stride == 0]
        # 2 and 5 × 10^k: log10(5) - log10(2) ≈ 0.4 decade is their closest gap
        if stride == 1 and 0.3 * decade_px >= min_spacing:
            values += [k + np.log10(m) for k in range(int(np.floor(minVal)), int(maxVal) + 1)
                       for m in (2, 5) if minVal <= k + np.log10(m) <= maxVal]
        if not values:                          # less than a decade without a round number
            return super().logTickValues(minVal, maxVal, size, stdTicks)[:1]
        return [(float(stride), sorted(values))]
