"""fiscal-extract: OCR'd Chinese budget / final-accounts disclosures into validated records."""

__version__ = "0.1.0"

__all__ = ["__version__"]
