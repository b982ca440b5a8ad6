"""A digest of plain data (dataclasses, lists, dicts, sets, numbers, strings, dates) that is the
same in every process: the key under which a process stores what another will look for (the
shared cache). `repr` is not: a set's order follows its strings' hashes, which Python seeds
afresh in each process (PYTHONHASHSEED), so one report gave another key in every worker.
"""

import dataclasses
import hashlib


def _canonical(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (
            type(value).__name__,
            tuple((f.name, _canonical(getattr(value, f.name))) for f in fields),
        )
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted((_canonical(item) for item in value), key=repr)))
    if isinstance(value, dict):
        items = ((_canonical(key), _canonical(item)) for key, item in value.items())
        return ("dict", tuple(sorted(items, key=repr)))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_canonical(item) for item in value))
    return value


def fingerprint(value) -> str:
    """The SHA-256 of the value's canonical form, in hex."""
    return hashlib.sha256(repr(_canonical(value)).encode()).hexdigest()
