"""Onboarding a new format: the model names what the catalog does not know, the rules and the
checks decide what to keep, and the result is a profile data file that extracts the format with
no model at all.

1. Each sample is read by the rules; tables of unknown kind, titles the catalog does not know and
   header labels it cannot name are collected.
2. For each such table the model sees its title, its header rows and a few data rows -- never a
   whole document -- and answers the kind and the meaning of the unknown labels.
3. The samples are read again with the proposal added to the catalog, and checked.  A table's
   aliases are accepted when the table is then read with a known kind and its own checks mostly
   pass (a wrong column mapping breaks the row identities); the others are reported, not written.
4. The accepted aliases are written as a profile (``profiles/NAME.toml``) with a coverage report.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..catalog import Catalog, extend, load
from ..errors import FiscalExtractError, LLMError
from ..llm.client import LLMClient
from ..llm.hybrid import _block_of, judge, merge_profiles, profile_from, unresolved
from ..llm.tasks import LLMContext, classify_table
from ..models import Disclosure
from ..options import ExtractOptions
from ..read.normalize import SourceText, read_source


@dataclass
class TableOutcome:
    document: str
    title: str
    kind_before: str
    kind_after: str
    labels: list[str]
    checks_pass: int = 0
    checks_fail: int = 0
    accepted: bool = False
    reason: str = ""


@dataclass
class DocCoverage:
    document: str
    tables: int = 0
    known: int = 0
    """Tables the catalog read without help."""
    mapped: int = 0
    """Tables the accepted profile makes readable."""
    rejected: int = 0
    unmatched: int = 0
    """Tables still of unknown kind with the profile."""
    checks_before: dict[str, int] = field(default_factory=dict)
    checks_after: dict[str, int] = field(default_factory=dict)
    error: str | None = None


@dataclass
class OnboardResult:
    profile: dict[str, Any]
    tables: list[TableOutcome]
    documents: list[DocCoverage]
    usage: dict[str, Any]
    path: Path | None = None

    def report(self) -> str:
        lines = [f"profile: {self.path or '(not written)'}",
                 f"{'document':<34} {'tables':>6} {'known':>6} {'mapped':>7} {'rejected':>9} {'unmatched':>10}"
                 f"  checks pass/fail before -> after"]
        for d in self.documents:
            if d.error:
                lines.append(f"{d.document:<34} error: {d.error}")
                continue
            b, a = d.checks_before, d.checks_after
            lines.append(f"{d.document:<34} {d.tables:>6} {d.known:>6} {d.mapped:>7} {d.rejected:>9} {d.unmatched:>10}"
                         f"  {b.get('pass', 0)}/{b.get('fail', 0)} -> {a.get('pass', 0)}/{a.get('fail', 0)}")
        lines.append("")
        for t in self.tables:
            mark = "accepted" if t.accepted else "rejected"
            lines.append(f"  [{mark}] {t.document}: {t.title or '(untitled)'} -> {t.kind_after}; labels "
                         f"{', '.join(t.labels) or '-'}; own checks {t.checks_pass} pass / {t.checks_fail} fail"
                         + (f" ({t.reason})" if t.reason else ""))
        u = self.usage
        lines.append(f"model: {u.get('calls', 0)} calls, {u.get('requests', 0)} requests, {u.get('tokens', 0)} tokens "
                     f"({u.get('prompt_tokens', 0)} prompt + {u.get('completion_tokens', 0)} completion), "
                     f"{u.get('cache_hits', 0)} cache hits, {u.get('seconds', 0)} s")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {"path": str(self.path) if self.path else None, "profile": self.profile,
                "tables": [asdict(t) for t in self.tables], "documents": [asdict(d) for d in self.documents],
                "usage": self.usage}


def _status_counts(record: Disclosure) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in record.checks:
        out[c.status] = out.get(c.status, 0) + 1
    return out


def _extract(src: SourceText, cat: Catalog, profiles: tuple[str, ...]) -> Disclosure:
    from ..pipeline import extract_source

    return extract_source(src, ExtractOptions(profiles=profiles), cat=cat)


def onboard(samples: list[Path], client: LLMClient, profiles: tuple[str, ...] = (),
            max_bytes: int | None = None) -> OnboardResult:
    """Propose, test and keep catalog aliases for the format of ``samples``."""
    from ..read.segment import segment

    cat = load(profiles)
    before_usage = client.usage.copy()
    docs: list[tuple[Path, SourceText, Disclosure]] = []
    coverage: list[DocCoverage] = []
    proposals: list[tuple[int, int, dict[str, Any], TableOutcome]] = []  # doc, table, profile, outcome
    for path in samples:
        cov = DocCoverage(document=path.name)
        coverage.append(cov)
        try:
            src = read_source(path, max_bytes) if max_bytes else read_source(path)
            rec = _extract(src, cat, profiles)
        except FiscalExtractError as exc:
            cov.error = str(exc)
            continue
        seg = segment(src, cat)
        d = len(docs)
        docs.append((path, src, rec))
        cov.tables = len(rec.tables)
        cov.checks_before = _status_counts(rec)
        todo = unresolved(rec, seg)
        pending = todo["unknown"] + [i for i in todo["unmapped"] if i not in todo["unknown"]]
        cov.known = cov.tables - len(pending)
        lc = LLMContext(client, cat, src)
        for i in pending:
            t = rec.tables[i]
            block = _block_of(seg, t)
            if block is None:
                continue
            try:
                cls = classify_table(lc, block, None if i in todo["unknown"] else t.kind)
            except LLMError as exc:
                proposals.append((d, i, {}, TableOutcome(path.name, t.title, t.kind, t.kind, [], reason=str(exc))))
                continue
            prof = profile_from(cat, block, cls)
            labels = [c["labels"][0] for c in prof["column"]]
            proposals.append((d, i, prof, TableOutcome(path.name, t.title, t.kind, cls.kind, labels)))
    # read every sample again with the whole proposal, and judge each table by its own checks
    proposal = merge_profiles([p for _, _, p, _ in proposals if p])
    trial = extend(profiles, proposal)
    after = [_extract(src, trial, profiles) for _, src, _ in docs]
    accepted: list[dict[str, Any]] = []
    for d, i, prof, out in proposals:
        if not prof:
            continue
        if i >= len(after[d].tables):
            out.reason = "not found again"
            continue
        why, out.checks_pass, out.checks_fail = judge(after[d], i, out.kind_after)
        out.accepted = why is None
        out.reason = why or ""
    # a label is one alias for every table of its layout: kept only if every table that uses it
    # passed, and at least one of them had checks to pass
    users: dict[tuple[str, str], list[TableOutcome]] = {}
    for _, _, prof, out in proposals:
        for col in prof.get("column", []) if prof else []:
            users.setdefault((col["labels"][0], col["layouts"][0]), []).append(out)
    failed = {k for k, outs in users.items() if not all(o.accepted for o in outs)}
    untested = {k for k, outs in users.items() if not any(o.checks_pass + o.checks_fail for o in outs)}
    for _, _, prof, out in proposals:
        cols = [(c["labels"][0], c["layouts"][0]) for c in (prof or {}).get("column", [])]
        wrong = [lbl for lbl, lay in cols if (lbl, lay) in failed]
        blind = [lbl for lbl, lay in cols if (lbl, lay) in untested]
        if out.accepted and (wrong or blind):
            out.accepted = False
            out.reason = (f"label(s) {', '.join(wrong)} fail the checks of another table" if wrong else
                          f"no check could test label(s) {', '.join(blind)} (empty tables only)")
    for _, _, prof, out in proposals:
        if out.accepted:
            accepted.append(prof)
    final = merge_profiles(accepted)
    cat_final = extend(profiles, final)
    for (_, src, _), cov in zip(docs, [c for c in coverage if c.error is None], strict=True):
        rec = _extract(src, cat_final, profiles)
        cov.checks_after = _status_counts(rec)
        cov.unmatched = sum(t.kind == "other" for t in rec.tables)
    for d, (path, _, _) in enumerate(docs):
        cov = next(c for c in coverage if c.document == path.name)
        outs = [o for dd, _, _, o in proposals if dd == d]
        cov.mapped = sum(o.accepted for o in outs)
        cov.rejected = sum(not o.accepted for o in outs)
    return OnboardResult(final, [o for _, _, _, o in proposals], coverage, client.usage.minus(before_usage).as_dict())


# ------------------------------------------------------------------------------------- writing

def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a TOML basic string


def profile_toml(profile: dict[str, Any], name: str, model: str | None, samples: list[Path]) -> str:
    """The profile as a catalog data file (the sections of tables.toml and columns.toml)."""
    lines = [f"# Onboarding profile {name!r}: catalog aliases for a format the built-in catalog does not know.",
             f"# Proposed by {f'model {model} and ' if model else ''}fuzzy matching against the catalog on "
             f"{datetime.now(UTC):%Y-%m-%d} from {', '.join(p.name for p in samples)};",
             "# each naming kept because the tables' identities hold best under it (see the coverage report).",
             "# Review it like code: it is data the rules trust.", ""]
    for note in profile.get("notes", []):
        lines.append(f"# confirm: {note}")
    if profile.get("notes"):
        lines.append("")
    for kind, spec in sorted(profile.get("kinds", {}).items()):
        lines.append(f"[kinds.{kind}]")
        lines.append("titles = [" + ", ".join(_toml_str(t) for t in spec["titles"]) + "]")
        lines.append("")
    for col in profile.get("column", []):
        lines.append("[[column]]")
        lines.append("labels = [" + ", ".join(_toml_str(x) for x in col["labels"]) + "]")
        lines.append(f"role = {_toml_str(col['role'])}")
        if col.get("key"):
            lines.append(f"key = {_toml_str(col['key'])}")
        if col.get("layouts"):
            lines.append("layouts = [" + ", ".join(_toml_str(x) for x in col["layouts"]) + "]")
        if col.get("kinds"):
            lines.append("kinds = [" + ", ".join(_toml_str(x) for x in col["kinds"]) + "]  # it fails in others")
        lines.append("")
    meta = profile.get("text", {}).get("meta", {})
    if meta:
        lines.append("# the owner, unit and kind lines: tried before the built-in patterns")
        lines.append("[text.meta]")
        for key, values in sorted(meta.items()):
            lines.append(f"{key} = [" + ", ".join(_toml_str(x) for x in values) + "]")
        lines.append("")
    return "\n".join(lines)


def write_profile(result: Any, name: str, directory: Path, model: str | None, samples: list[Path]) -> Path:
    from ..atomic import atomic_write

    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise FiscalExtractError(f"profile name {name!r}: use letters, digits, '_', '-' or '.'")
    path = directory / f"{name}.toml"
    atomic_write(path, profile_toml(result.profile, name, model, samples))
    load((str(path),))  # the file must load as a catalog profile
    result.path = path
    return path
