"""Errors the engine raises. A UserError's message reaches the user unchanged, so it says what went
wrong in the user's words and what to do about it."""


class UserError(Exception):
    """A problem with the user's input or setup, with a message that says how to fix it."""


class Cancelled(Exception):
    """The user cancelled the job."""
