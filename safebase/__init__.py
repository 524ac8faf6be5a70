"""safebase: attachment questionnaires, scored exactly, and practice towards earned security.

The researcher's entry point is ``safebase.score_frame(df, instrument="ecr-r")`` (pandas, Polars
or Dask frames; see ``safebase.frames``). It is loaded on first use, so ``import safebase`` and
``safebase --help`` stay light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safebase.frames import ScoredFrame, score_frame

__all__ = ["ScoredFrame", "score_frame"]


def __getattr__(name: str):
    if name in __all__:
        from safebase import frames

        return getattr(frames, name)
    raise AttributeError(f"module 'safebase' has no attribute {name!r}")
