"""Short quotations of untrusted values in messages, a length limit on whole messages, the one
way a training position is written, and the kinds of status message.

A message quotes what it refuses (a cell of a CSV file, a field of a saved file) so the user can
find it; a hostile file makes that value megabytes long, and a message quoting it in full is a
dialog taller than the screen, or seconds of text layout. Every error message quotes values with
:func:`quote`; the errors of the readers and the dialogs pass whole messages through
:func:`shorten` as well.
"""
from __future__ import annotations

import reprlib

QUOTE_CHARACTERS = 60
MESSAGE_CHARACTERS = 800
MESSAGE_LINES = 12

_quoting = reprlib.Repr()
_quoting.maxstring = _quoting.maxother = QUOTE_CHARACTERS
_quoting.maxlong = 40
_quoting.maxlevel = 3
_quoting.maxlist = _quoting.maxtuple = _quoting.maxdict = _quoting.maxset = 8


def quote(value) -> str:
    """``repr(value)`` cut to about QUOTE_CHARACTERS, with ``...`` where something was left out."""
    try:
        return _quoting.repr(value)
    except ValueError:      # an integer with more digits than Python will print
        return f"a whole number of {value.bit_length()} bits"


def shorten(text: str, characters: int = MESSAGE_CHARACTERS, lines: int = MESSAGE_LINES) -> str:
    """``text`` cut to at most ``characters`` characters and ``lines`` lines, ending in "…"."""
    text = str(text)
    kept = text[:characters]
    parts = kept.split("\n", lines)
    if len(parts) > lines:
        kept = "\n".join(parts[:lines])
    return text if kept == text else kept.rstrip() + "…"


# The kinds of message the status bar shows, each in its own colour: what went well, what is
# worth knowing, what has no effect or was refused, and what failed.
SUCCESS, INFO, WARNING, ERROR = "success", "info", "warning", "error"
MESSAGE_KINDS = (SUCCESS, INFO, WARNING, ERROR)


def describe_position(epoch: int, batch_in_epoch: int = 0) -> str:
    """Where training stands, written one way everywhere: "Epoch 12" is 12 completed epochs,
    "Epoch 12 · batch 3" three mini-batches into the 13th."""
    text = f"Epoch {int(epoch)}"
    return f"{text} · batch {int(batch_in_epoch)}" if batch_in_epoch else text
