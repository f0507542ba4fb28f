"""One error root for the library; only the CLI turns these into messages and exit codes."""

from __future__ import annotations


class FiscalExtractError(Exception):
    """Base of every error fiscal-extract raises on purpose."""

    code = "error"


class InputError(FiscalExtractError):
    """The input cannot be read as a disclosure text (empty, binary, undecodable, too large...)."""

    code = "input"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class NotADisclosureError(InputError):
    """The text decodes but is not a budget / final-accounts disclosure."""

    code = "not_a_disclosure"

    def __init__(self, message: str) -> None:
        super().__init__("not_a_disclosure", message)


class CatalogError(FiscalExtractError):
    """A catalog or profile data file is malformed."""

    code = "catalog"


class LLMError(FiscalExtractError):
    """The model endpoint failed in a way retries could not mend."""

    code = "llm"


class CheckError(FiscalExtractError):
    """A check definition is malformed."""

    code = "check"


class ExportError(FiscalExtractError):
    """An export store could not be written (a locked database, a full disk ...)."""

    code = "export"
