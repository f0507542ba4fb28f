"""Options objects and settings (environment variables with the ``FISCAL_`` prefix)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .normalize import DEFAULT_MAX_BYTES

Backend = Literal["rules", "llm", "hybrid"]


@dataclass(frozen=True)
class ExtractOptions:
    """How to extract: which backend, which onboarding profiles, and input limits."""

    backend: Backend = "rules"
    profiles: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    checks: bool = True
    """Run the arithmetic checks (and the completion of cut-short figures they drive)."""
