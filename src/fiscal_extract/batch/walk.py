"""Find the documents of an archive (a folder tree) and name their outputs."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from fnmatch import fnmatchcase
from pathlib import Path

DEFAULT_GLOBS: tuple[str, ...] = ("*.txt", "*.md", "*.html", "*.htm", "*.pdf")
"""Documents a batch picks up unless told otherwise (the renderings the readers understand)."""

RECORDS_DIR = "records"


def find_documents(root: Path, globs: Sequence[str] = DEFAULT_GLOBS, exclude: Path | None = None,
                   as_one: bool = False) -> Iterator[str]:
    """Paths (relative to ``root``, ``/``-separated) of the files matching a glob, in a stable
    order (a folder's files by name, then its subfolders by name).

    A glob matches the file name or the path relative to ``root`` (``2023/*.txt``).  Hidden files
    and folders (``.name``) are passed over, symbolic links to folders are not followed, and
    ``exclude`` (the output folder, when it lies inside the archive) is never entered.
    With ``as_one`` the PDFs of one folder are one document (narrative and tables published
    apart), named by the first of them (:func:`folder_pdfs` lists them all).
    """
    root = root.resolve()
    skip = exclude.resolve() if exclude is not None else None
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and here / d != skip)
        rel_dir = here.relative_to(root).as_posix()
        pdf_seen = False
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if any(fnmatchcase(name, g) or fnmatchcase(rel, g) for g in globs):
                if as_one and _is_pdf_name(name):
                    if pdf_seen:
                        continue
                    pdf_seen = True
                yield rel


def _is_pdf_name(name: str) -> bool:
    return name.lower().endswith(".pdf")


def folder_pdfs(root: Path, rel: str, globs: Sequence[str] = DEFAULT_GLOBS) -> list[str]:
    """The PDFs (relative paths, by name) of the folder of ``rel``: one document under ``as_one``."""
    folder = (root / rel).parent
    rel_dir = Path(rel).parent.as_posix()
    out = []
    for name in sorted(os.listdir(folder)):
        r = name if rel_dir == "." else f"{rel_dir}/{name}"
        if (not name.startswith(".") and _is_pdf_name(name) and (folder / name).is_file()
                and any(fnmatchcase(name, g) or fnmatchcase(r, g) for g in globs)):
            out.append(r)
    return out


def record_path(rel: str) -> str:
    """Where the record of the document at ``rel`` is written, relative to the output folder.

    The whole relative path is kept and ``.json`` appended, so same-named files in different
    folders (``a/x.txt``, ``b/x.txt``) or with different suffixes (``x.txt``, ``x.md``) never share
    an output.
    """
    return f"{RECORDS_DIR}/{rel}.json"


def document_bytes(root: Path, rel: str, max_bytes: int, as_one: bool = False,
                   globs: Sequence[str] = DEFAULT_GLOBS) -> bytes:
    """The bytes of the document at ``rel``: under ``as_one`` a PDF's folder's PDFs joined."""
    from ..read.normalize import read_bytes

    if not as_one or not rel.lower().endswith(".pdf"):
        return read_bytes(root / rel, max_bytes)
    from ..read.pdf import join_pdfs

    parts = [read_bytes(root / r, max_bytes) for r in folder_pdfs(root, rel, globs)]
    return parts[0] if len(parts) == 1 else join_pdfs(parts)
