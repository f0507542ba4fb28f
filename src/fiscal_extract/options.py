"""Options objects: what to extract and how."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .llm.settings import LLMSettings, load_settings
from .read.normalize import DEFAULT_MAX_BYTES
from .read.pdf import PdfOptions

Backend = Literal["rules", "llm", "hybrid"]


@dataclass(frozen=True)
class ExtractOptions:
    """How to extract: which backend, which onboarding profiles, input limits, and the model."""

    backend: Backend = "rules"
    profiles: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    checks: bool = True
    """Run the arithmetic checks (and the completion of cut-short figures they drive)."""
    ocr: Literal["auto", "always", "never"] = "auto"
    """PDF pages read by OCR: those without a text layer (auto), every page, or none."""
    pages: str | None = None
    """PDF pages to read (``1-3,7``); all when None."""
    llm: LLMSettings | None = None
    """The model endpoint for the ``llm`` and ``hybrid`` backends (default: from the environment)."""

    def pdf(self) -> PdfOptions:
        return PdfOptions(ocr=self.ocr, pages=self.pages)

    def llm_settings(self) -> LLMSettings:
        return self.llm if self.llm is not None else load_settings()


def default_backend(settings: LLMSettings) -> Backend:
    """``hybrid`` when a model is configured, else ``rules``."""
    return "hybrid" if settings.configured else "rules"
