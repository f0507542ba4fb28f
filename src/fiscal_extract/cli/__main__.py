"""``python -m fiscal_extract.cli``."""

from .app import main

main()
