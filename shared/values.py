"""Reading plain values the same way on both sides of the wall: yes/no answers of job keys, settings and
environment variables. Standard library only."""

from typing import Optional

YES = ("true", "yes", "1", "on")
NO = ("false", "no", "0", "off")


def yes_no(value: object, default: Optional[bool] = None) -> Optional[bool]:
    """`value` as a yes/no answer: a bool, the numbers 1 and 0, or one of the words of YES and NO (any case,
    surrounding spaces ignored); `default` when value is None (not given); None for anything else, so each
    caller says what is wrong in its own words."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value) if value in (0, 1) else None
    if isinstance(value, str):
        word = value.strip().lower()
        if word in YES or word in NO:
            return word in YES
    return None
