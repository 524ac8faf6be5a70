"""Reading the project's TOML data files (instruments, exercises) against a pydantic schema.

One loader, so that every data file fails the same way: the file named, then the field.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from safebase.core.errors import InstrumentFileError

M = TypeVar("M", bound=BaseModel)


def load_toml_model(path: Path, model: type[M]) -> M:
    """Parse ``path`` and validate it as ``model``; its ``id`` must match the file name."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentFileError(f"{path.name}: not valid TOML: {exc}") from exc
    try:
        obj = model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise InstrumentFileError(f"{path.name}: field '{field}': {first['msg']}") from exc
    file_id = getattr(obj, "id", path.stem)
    if file_id != path.stem:
        raise InstrumentFileError(f"{path.name}: field 'id': '{file_id}' must match the file name")
    return obj
