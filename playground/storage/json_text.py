"""JSON from files (a saved playground's manifest, a lesson) parsed with our own refusals.

Plain ``json.loads`` lets three kinds of hostile text through as errors nobody expects: NaN and
Infinity literals, nesting deep enough to exhaust the recursion limit, and whole numbers too
long to convert (Python then advises calling ``sys.set_int_max_str_digits()``). Here each is a
StorageError saying what is wrong with the file.
"""
from __future__ import annotations

import json

from playground.storage.errors import StorageError

# The longest whole number a playground saves is a 128-bit random-generator state: 39 digits.
MAX_INTEGER_DIGITS = 40


def parse_json(text: str, where: str):
    """The value ``text`` holds; StorageError naming ``where`` for anything else."""
    def reject_constant(name: str):
        raise StorageError(f"{where} holds the non-standard number {name}")

    def whole_number(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
            raise StorageError(f"{where} holds a whole number of {len(digits.lstrip('-')):,} "
                               f"digits; at most {MAX_INTEGER_DIGITS} are allowed")
        return int(digits)

    try:
        return json.loads(text, parse_constant=reject_constant, parse_int=whole_number)
    except RecursionError:
        raise StorageError(f"{where} is nested too deeply") from None
    except json.JSONDecodeError as error:
        raise StorageError(f"{where} is not valid JSON ({error.msg} at line {error.lineno}, "
                           f"column {error.colno})") from None
