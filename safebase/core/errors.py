"""Errors the core raises. Each carries a message a person can act on."""


class SafebaseError(Exception):
    """Base class: anything the user can fix (bad input, bad file)."""


class InstrumentFileError(SafebaseError):
    """An instrument data file does not match the schema; names the file and the field."""


class UnknownInstrumentError(SafebaseError):
    pass


class ResponseError(SafebaseError):
    """An answer is unusable: unknown item, value out of range, wrong type, duplicate."""
