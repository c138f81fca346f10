"""Where the neurons of a network go in the editor (pure geometry, no drawing).

A column taller than the view is condensed: its first and last neurons are
drawn with an ellipsis between them that says how many are not shown.
"""

from __future__ import annotations

from dataclasses import dataclass

TOP, BOTTOM = 16.0, 16.0
GAP = 8.0
MIN_RADIUS = 7.0
MAX_RADIUS = 13.0  # the default; larger when the neurons hold maps (see neuron_maps.py)
# At most this many neurons of a column are drawn, however tall the view: every pair of
# drawn neighbours is a connection to stroke, and a 32-256-256-256 network drawn in
# full height (5,000 connections) took 0.3–0.8 s to repaint, CPU taken from training.
MAX_SHOWN = 16
MIN_WIDTH_PER_COLUMN = 60.0  # the columns never get less room than this between margins
# Between columns, when the view asks how wide a drawing should be (`width_needed`):
# wider spreads the columns out, narrower keeps the text of a scaled-down drawing larger
# (the cards above the columns make their own room, see network_editor).
MIN_COLUMN_SPACING = 80.0


@dataclass(frozen=True)
class Column:
    x: float
    shown: tuple[int, ...]  # neuron indices drawn, top to bottom
    ys: tuple[float, ...]  # their centres
    hidden_count: int  # neurons left out (drawn as an ellipsis)
    ellipsis_y: float | None


@dataclass(frozen=True)
class NetworkLayout:
    columns: tuple[Column, ...]
    radius: float

    def column_x(self, i: int) -> float:
        return self.columns[i].x


def width_needed(n_columns: int, left: float, right: float) -> float:
    """The narrowest width at which `layout_network` keeps every column between the
    margins `left` and `right`, with room between them."""
    return left + right + max(MIN_COLUMN_SPACING * (n_columns - 1),
                              MIN_WIDTH_PER_COLUMN * n_columns)


def layout_network(widths: list[int], width: float, height: float, left: float = 150.0,
                   right: float = 130.0, max_radius: float = MAX_RADIUS) -> NetworkLayout:
    """Columns spread between `left` and `right` margins (room for the side labels)."""
    n = len(widths)
    usable_w = max(width - left - right, MIN_WIDTH_PER_COLUMN * n)
    spacing = usable_w / max(n - 1, 1)
    usable_h = max(height - TOP - BOTTOM, 60.0)
    # Shrink the neurons (down to MIN_RADIUS) before condensing: a 12-unit layer shows
    # every neuron; a 512-unit one is condensed rather than drawn as specks.
    radius = max(MIN_RADIUS, min(max_radius, spacing * 0.12))
    tallest = max(widths)
    gap = GAP if radius >= 8 else GAP / 2
    if tallest * (2 * radius + gap) > usable_h:
        # Each neuron's slot is its diameter and the gap: the slots fill the height
        # exactly (below a radius of 8, with the smaller gap).
        gap = GAP
        radius = (usable_h / tallest - gap) / 2
        if radius < 8:
            gap = GAP / 2
            radius = max(MIN_RADIUS, (usable_h / tallest - gap) / 2)
    slot = 2 * radius + gap
    # (A hair of tolerance: slots that fill the height exactly must not lose one to
    # rounding.)
    max_shown = min(MAX_SHOWN, max(3, int((usable_h + 1e-6) // slot)))
    columns = []
    for i, units in enumerate(widths):
        x = left + (i * spacing if n > 1 else usable_w / 2)
        if units <= max_shown:
            shown, hidden = tuple(range(units)), 0
            slots = units
        else:  # first half, an ellipsis slot, then the last neurons
            keep = max_shown - 1
            head = (keep + 1) // 2
            tail = keep - head
            shown = tuple(range(head)) + tuple(range(units - tail, units))
            hidden = units - keep
            slots = max_shown
        top = TOP + (usable_h - slots * slot) / 2 + slot / 2
        ys = [top + s * slot for s in range(slots)]
        ellipsis_y = None
        if hidden:
            head = (len(shown) + 1) // 2
            ellipsis_y = ys.pop(head)
        columns.append(Column(x, shown, tuple(ys[:len(shown)]), hidden, ellipsis_y))
    return NetworkLayout(tuple(columns), radius)
