"""Onboarding a new format, with or without a model: candidates, the arithmetic as the judge, a
profile and a coverage report.

1. The samples are read by the rules under the catalog as it is.
2. **Titles**: every table title the samples print (their contents lists first: the tables to
   expect) that the catalog does not know exactly is a question; its options are the kinds whose
   known titles are closest (rapidfuzz), the kind its header words and codes suggest, the kind the
   catalog guesses today, and -- with a model -- the kind the model names.  The judge
   (:mod:`.judge`) keeps the kind under which the table's identities hold best.
3. **Columns**: with the titles settled, every header label of figures the catalog still cannot
   name is a question; its options are the closest value aliases of the table's layout and the
   model's key.  The judge keeps the key under which the table's checks pass.  A scope word printed
   alone over one column of figures (上年结转), which the catalog reads by the scope only, is asked
   too: its options are the close aliases of the scope's own key (``carryover``).
4. The kept answers are the profile (``kinds`` titles, ``column`` aliases: the sections of
   ``tables.toml`` and ``columns.toml``); :mod:`.coverage` reports what was found, mapped and
   tested, and what the user should confirm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..catalog import Catalog, extend
from ..errors import FiscalExtractError, LLMError
from ..llm.hybrid import _block_of, merge_profiles, profile_from, unresolved
from ..models import Disclosure
from ..options import ExtractOptions
from ..read.normalize import SourceText, read_source
from ..read.segment import Segments, segment
from .candidates import (
    KindCandidate,
    LabelCandidate,
    TitleCandidate,
    alias_candidates,
    kind_candidates,
    merge,
    table_evidence,
    title_key,
    title_lines,
    unmapped_labels,
)
from .joint import joint_candidates, split_words, table_shape, whole_cell
from .judge import COLUMN_PASS_RATE, Option, Question, settle
from .kinds import limit_to_kinds
from .labels import label_questions, settle_labels
from .meta import meta_questions, settle_meta
from .words import word_questions

if TYPE_CHECKING:
    from ..llm.client import LLMClient


LONE_SCOPE_SCORE = 70.0
"""A scope word printed alone is short (上年结转): an alias of the scope's own key this close names it."""
MODEL_SCORE = 80.0
"""The title score a kind the model names counts as (it read the title and the header)."""


@dataclass
class Sample:
    path: Path
    src: SourceText | None = None
    seg: Segments | None = None
    before: Disclosure | None = None
    after: Disclosure | None = None
    error: str | None = None


@dataclass
class Onboarding:
    """What onboarding found, tried and kept."""

    samples: list[Sample]
    titles: list[TitleCandidate]
    questions: list[Question]
    profile: dict[str, Any]
    model: dict[str, Any] = field(default_factory=dict)
    """The model's usage, when one was asked."""
    model_errors: list[str] = field(default_factory=list)
    path: Path | None = None


class _Reader:
    """Reads the samples under the base catalog plus a profile (a profile read once is not read again)."""

    def __init__(self, samples: list[Sample], profiles: tuple[str, ...], base: dict[str, Any] | None) -> None:
        self.samples, self.profiles, self.base = samples, profiles, base
        self.reads = 0

    def catalog(self, prof: dict[str, Any]) -> Catalog:
        return extend(self.profiles, prof, self.base)

    def __call__(self, prof: dict[str, Any]) -> list[Disclosure]:
        from ..pipeline import extract_source

        cat = self.catalog(prof)
        self.reads += 1
        return [extract_source(s.src, ExtractOptions(profiles=self.profiles), cat=cat)
                for s in self.samples if s.src is not None]


def _title_locator(key: str, cat: Catalog) -> Any:
    def locate(_d: int, rec: Disclosure) -> list[int]:
        out = []
        for i, t in enumerate(rec.tables):
            k = title_key(cat, t.title) if t.title else ""
            if k == key or (k.startswith(key + "(") and "(" not in key):  # a contents entry drops the bracket
                out.append(i)
        return out
    return locate


def _kind_option(c: KindCandidate, key: str) -> Option:
    return Option(f"kind {c.kind}", {"kinds": {c.kind: {"titles": [key]}}, "column": []}, c.kind, c.score,
                  c.origin, list(c.evidence))


def _model_proposals(samples: list[Sample], cat: Catalog, client: LLMClient, errors: list[str]
                     ) -> tuple[dict[str, list[KindCandidate]], list[dict[str, Any]]]:
    """The model's kinds (by title key) and column aliases for the tables the rules leave unresolved."""
    from ..llm.tasks import LLMContext, classify_table

    kinds: dict[str, list[KindCandidate]] = {}
    columns: list[dict[str, Any]] = []
    for s in samples:
        if s.before is None or s.src is None or s.seg is None:
            continue
        todo = unresolved(s.before, s.seg)
        lc = LLMContext(client, cat, s.src)
        for i in todo["unknown"] + [j for j in todo["unmapped"] if j not in todo["unknown"]]:
            t = s.before.tables[i]
            block = _block_of(s.seg, t)
            if block is None:
                continue
            try:
                cls = classify_table(lc, block, None if i in todo["unknown"] else t.kind)
            except LLMError as exc:
                errors.append(f"{t.title or 'untitled table'}: {exc}")
                continue
            if block.title and cls.kind != "other":
                kinds.setdefault(title_key(cat, block.title), []).append(
                    KindCandidate(cls.kind, MODEL_SCORE, ["named by the model"], "model"))
            for col in profile_from(cat, block, cls)["column"]:
                columns.append({**col, "table": t.title or t.kind, "kind": cls.kind})
    return kinds, columns


def onboard_samples(paths: list[Path], profiles: tuple[str, ...] = (), client: LLMClient | None = None,
                    base: dict[str, Any] | None = None, max_bytes: int | None = None) -> Onboarding:
    """Onboard the format of ``paths`` (see the module).  ``base`` replaces the packaged catalog
    data (a reduced catalog in tests); ``client``, when given, adds the model's proposals."""
    samples = [Sample(p) for p in paths]
    reader = _Reader(samples, profiles, base)
    cat = reader.catalog({})
    for s in samples:
        try:
            s.src = read_source(s.path, max_bytes) if max_bytes else read_source(s.path)
            s.seg = segment(s.src, cat)
        except FiscalExtractError as exc:
            s.error = str(exc)
    ok = [s for s in samples if s.src is not None]
    for s, rec in zip(ok, reader({}), strict=True):
        s.before = rec
    usage_before = client.usage.copy() if client is not None else None
    model_errors: list[str] = []
    model_kinds: dict[str, list[KindCandidate]] = {}
    model_cols: list[dict[str, Any]] = []
    if client is not None:
        model_kinds, model_cols = _model_proposals(ok, cat, client, model_errors)

    # titles: the contents lists first, then titles printed over tables
    titles: dict[str, TitleCandidate] = {}
    for s in ok:
        assert s.src is not None and s.seg is not None and s.before is not None
        for tc in title_lines(s.src, s.seg, cat):
            have = titles.setdefault(tc.key, tc)
            if have is not tc:
                have.in_contents = have.in_contents or tc.in_contents
        for t in s.before.tables:
            if t.title and (key := title_key(cat, t.title)) in titles:
                titles[key].kinds = merge(titles[key].kinds, table_evidence(cat, t))
    for key, extra in model_kinds.items():
        if key not in titles:
            titles[key] = TitleCandidate(key, key)
        titles[key].kinds = merge(titles[key].kinds, extra)
    questions: list[Question] = []
    for tc in titles.values():
        current = [KindCandidate(tc.current, 50.0, ["the catalog's fuzzy match today"])] if tc.current else []
        tc.kinds = merge(kind_candidates(cat, tc.key), tc.kinds, current)
        tc.kinds.sort(key=lambda c: (c.origin == "rules", -c.score))  # the model's first: it is tried first
        if tc.kinds:
            opts = [_kind_option(c, tc.key) for c in tc.kinds]
            for o in opts:
                if o.kind == tc.current:  # the catalog reads it so already: nothing to write
                    o.fragment = {"kinds": {}, "column": []}
                    o.evidence.append("the catalog already reads this title as it")
            questions.append(Question("title", tc.printed, _title_locator(tc.key, cat), opts))
    # the model's column names ride along while the titles are tried (a table whose columns are
    # unknown cannot show its identities); they are judged on their own below
    tentative = {"kinds": {}, "column": [{k: v for k, v in c.items() if k not in ("table", "kind")}
                                         for c in model_cols]}
    known: dict[str, set[int]] = {}
    for d, s in enumerate(ok):
        for t in s.before.tables if s.before is not None else []:
            if t.kind != "other" and t.title and title_key(cat, t.title) not in titles and t.span:
                known.setdefault(t.kind, set()).add(d * 10**9 + t.span.start)
    prof = settle(questions, reader, reader.catalog, tentative, known)
    prof = {"kinds": prof["kinds"], "column": []}

    # columns a table prints that only test each other: named together, by their identities
    mid = reader(prof)
    joint = _joint_questions(ok, mid, reader.catalog, prof)
    if joint:
        prof = settle(joint, reader, reader.catalog, prof)
        mid = reader(prof)
    # columns: labels of figures still unnamed under the settled titles
    mid_cat = reader.catalog(prof)
    col_questions = _column_questions(ok, mid, mid_cat, model_cols, _split_banners(ok, mid, mid_cat))
    col_questions += _close_spellings(mid, mid_cat, {q.text for q in col_questions})
    col_questions += _lone_scopes(mid, mid_cat, {q.text for q in col_questions})
    col_questions += word_questions([s.src for s in ok], mid, mid_cat, {q.text for q in col_questions})
    if col_questions:
        prof = settle(col_questions, reader, reader.catalog, prof)
    if joint or col_questions:
        prof = limit_to_kinds(joint + col_questions, reader, prof)
    # label columns: header cells over the row labels still unnamed (项目单位), judged by the rows
    # their naming tells apart and the checks
    label_qs = label_questions([s.src for s in ok], reader(prof), reader.catalog(prof))
    if label_qs:
        prof = settle_labels(label_qs, reader, prof)
    # the owner, unit and kind lines the catalog's patterns miss
    meta_qs = meta_questions(reader.catalog(prof), [s.src for s in ok if s.src], [s.seg for s in ok if s.seg],
                             reader(prof))
    if text := settle_meta(meta_qs, reader, prof):
        prof = {**prof, "text": text}
    final = reader(prof)
    for s, rec in zip(ok, final, strict=True):
        s.after = rec
    usage = client.usage.minus(usage_before).as_dict() if client is not None and usage_before else {}
    return Onboarding(samples, list(titles.values()), questions + joint + col_questions + label_qs + meta_qs,
                      prof, usage,
                      model_errors)


def _joint_questions(samples: list[Sample], records: list[Disclosure], cat_of: Any, prof: dict[str, Any]
                     ) -> list[Question]:
    """One question per table whose unknown header cells its identities can name together
    (:mod:`.joint`); its options are the best joint namings."""
    cat = cat_of(prof)
    out: list[Question] = []
    asked: set[tuple[str, tuple[str, ...]]] = set()
    for d, (s, rec) in enumerate(zip(samples, records, strict=True)):
        if s.src is None:
            continue
        seg = segment(s.src, cat)
        blocks = {b.start: b for b in seg.tables}
        for t in rec.tables:
            layout = cat.layout_of(t.kind)
            if t.kind == "other" or layout != "classified" or t.span is None or t.span.start not in blocks:
                continue
            shape = table_shape(s.src, cat, blocks[t.span.start])
            if shape is None or len({c.key for c in t.columns}) >= shape[1]:
                continue  # every column of figures is named already
            cands = joint_candidates(cat_of, prof, t.kind, layout, shape)
            if not cands or (t.kind, tuple(cands[0].texts)) in asked:
                continue
            asked.add((t.kind, tuple(cands[0].texts)))
            opts = [Option("columns " + ", ".join(f"{x} -> {k}" for x, k in c.texts.items()),
                           {"kinds": {}, "column": [{"labels": [x], "role": "value", "key": k, "layouts": [layout]}
                                                    for x, k in c.texts.items()]}, None, 60.0 + c.closeness / 100,
                           evidence=[f"{c.held} identity instances hold on the rows printing every column, "
                                     f"{c.failed} fail"]) for c in cands]
            q = Question("columns", f"{t.title or t.kind}: " + ", ".join(dict.fromkeys(
                x for c in cands for x in c.texts)), _at(d, t.span.start), opts)
            q.across, q.pass_rate = True, COLUMN_PASS_RATE
            out.append(q)
    return out


def _at(d: int, start: int) -> Any:
    def locate(dd: int, rec: Disclosure) -> list[int]:
        return [i for i, t in enumerate(rec.tables) if dd == d and t.span is not None and t.span.start == start]
    return locate


def _close_spellings(records: list[Disclosure], cat: Catalog, asked: set[str]) -> list[Question]:
    """Header labels the catalog named only by a close spelling of an alias (``上年结余、结转`` read as
    上年结余结转): offered as aliases of their own, so the profile reads the cell whole however
    another rendering cuts it -- judged like every column naming."""
    out: dict[tuple[str, str], Question] = {}
    for d, rec in enumerate(records):
        for t in rec.tables:
            layout = cat.layout_of(t.kind)
            for c in t.columns:
                printed = c.label.split("/")[-1].strip()
                if not printed or printed in asked or cat._pick(cat.labels.get(cat.norm(printed), ()), layout):
                    continue
                spec = cat.column(printed, layout)
                if spec is None or spec.role != "value" or spec.key != c.key or (printed, layout) in out:
                    continue
                opt = Option(f"value {c.key} (read as {spec.label!r} today)", {"kinds": {}, "column": [
                    {"labels": [printed], "role": "value", "key": c.key, "layouts": [layout]}]}, None, 76.0)
                q = Question("column", printed, _at(d, t.span.start) if t.span else (lambda _d, _r: []), [opt])
                q.across, q.pass_rate = True, COLUMN_PASS_RATE
                out[(printed, layout)] = q
    return list(out.values())


def _lone_scopes(records: list[Disclosure], cat: Catalog, asked: set[str]) -> list[Question]:
    """Columns of figures headed by a scope word alone (上年结转 with no sub-columns under it) that
    the catalog names by the scope only (``carryover_total``): the column may be the scope's own
    figure, the value key the scope names (``carryover``), as a close alias says.  Offered as an
    alias of its own, judged like every column naming."""
    out: dict[tuple[str, str], Question] = {}
    for d, rec in enumerate(records):
        for t in rec.tables:
            layout = cat.layout_of(t.kind)
            for c in t.columns:
                printed = c.label.split("/")[-1].strip()
                sc = cat.scope(printed, layout) if printed and printed not in asked else None
                if (sc is None or not sc.prefix or sc.paired or sc.label_scope or (printed, layout) in out
                        or cat.column(printed, layout) is not None):
                    continue
                own = sc.prefix.rstrip("_")
                opts = [Option(f"value {key} (like {alias!r})", {"kinds": {}, "column": [
                    {"labels": [printed], "role": "value", "key": key, "layouts": [layout]}]}, None, score)
                    for _, key, score, alias in alias_candidates(cat, printed, layout, min_score=LONE_SCOPE_SCORE)
                    if key == own]
                if not opts:
                    continue
                q = Question("column", printed, _at(d, t.span.start) if t.span else (lambda _d, _r: []), opts)
                q.across, q.pass_rate = True, COLUMN_PASS_RATE
                out[(printed, layout)] = q
    return list(out.values())


def _split_banners(samples: list[Sample], records: list[Disclosure], cat: Catalog) -> list[list[LabelCandidate]]:
    """Per sample: header words the catalog cuts in several labels, of tables with columns of
    figures left unnamed (:func:`.joint.split_words`), with the aliases closest to each whole."""
    out: list[list[LabelCandidate]] = []
    for s, rec in zip(samples, records, strict=True):
        found: list[LabelCandidate] = []
        blocks = {b.start: b for b in segment(s.src, cat).tables} if s.src is not None else {}
        for t in rec.tables:
            layout = cat.layout_of(t.kind)
            shape = table_shape(s.src, cat, blocks[t.span.start]) if (
                s.src is not None and t.kind != "other" and t.span and t.span.start in blocks) else None
            if shape is None or len({c.key for c in t.columns}) >= shape[1]:
                continue
            found += [LabelCandidate(w, layout, t.title or t.kind, alias_candidates(cat, w, layout))
                      for w in split_words(cat, layout, shape[0])]
            for lc in unmapped_labels(rec, cat):
                whole = whole_cell(shape[0], lc.label) if lc.table == (t.title or t.kind) else lc.label
                if whole != lc.label:  # the label's cell wrapped: its alias is the whole cell
                    found.append(LabelCandidate(whole, lc.layout, lc.table, alias_candidates(cat, whole, lc.layout)))
        out.append(found)
    return out


def _column_questions(samples: list[Sample], records: list[Disclosure], cat: Catalog,
                      model_cols: list[dict[str, Any]], split: list[list[LabelCandidate]] | None = None
                      ) -> list[Question]:
    asked: dict[tuple[str, str], Question] = {}
    spans: dict[tuple[str, str], set[int]] = {}
    for d, rec in enumerate(records):
        extra = split[d] if split else []
        wrapped = {x.label for x in extra}
        for lc in [x for x in unmapped_labels(rec, cat) if not any(w.startswith(x.label) and w != x.label
                                                                    for w in wrapped)] + extra:
            q = asked.get((lc.label, lc.layout))
            if q is None:
                opts = [Option(f"{role} {key} (like {alias!r})",
                               {"kinds": {}, "column": [{"labels": [lc.label], "role": role, "key": key,
                                                         "layouts": [lc.layout]}]}, None, score)
                        for role, key, score, alias in lc.options]
                q = asked[(lc.label, lc.layout)] = Question("column", lc.label, _span_locator(spans, lc.label,
                                                                                             lc.layout), opts)
            for t in rec.tables:
                if cat.layout_of(t.kind) == lc.layout and t.title == lc.table and t.span:
                    spans.setdefault((lc.label, lc.layout), set()).add(t.span.start)
    for col in model_cols:
        label, layout = col["labels"][0], col["layouts"][0]
        frag = {"kinds": {}, "column": [{k: v for k, v in col.items() if k not in ("table", "kind")}]}
        opt = Option(f"{col['role']} {col.get('key') or ''} (the model's)".replace("  ", " "), frag, None, 0.0,
                     "model", ["named by the model"])
        q = asked.get((label, layout))
        if q is None:
            q = asked[(label, layout)] = Question("column", label, _span_locator(spans, label, layout), [])
            for rec in records:
                for t in rec.tables:
                    if cat.layout_of(t.kind) == layout and t.title == col["table"] and t.span:
                        spans.setdefault((label, layout), set()).add(t.span.start)
        if not any(o.fragment["column"][0].get("key") == col.get("key") and o.fragment["column"][0]["role"]
                   == col["role"] for o in q.options):
            q.options.insert(0, opt)
    for q in asked.values():
        q.across, q.pass_rate = True, COLUMN_PASS_RATE
    return list(asked.values())


def _span_locator(spans: dict[tuple[str, str], set[int]], label: str, layout: str) -> Any:
    def locate(_d: int, rec: Disclosure) -> list[int]:
        """The tables the label was unnamed in, and every table reading a column under it."""
        starts = spans.get((label, layout), set())
        return [i for i, t in enumerate(rec.tables) if (t.span and t.span.start in starts)
                or any(label in c.label.split("/") for c in t.columns)]
    return locate


def useful(result: Onboarding) -> str | None:
    """Why an onboarding found nothing worth writing (``None``: it did)."""
    if not any(s.src is not None for s in result.samples):
        return "no sample could be read: " + "; ".join(f"{s.path.name}: {s.error}" for s in result.samples)
    if not result.profile.get("kinds") and not result.profile.get("column") and not result.profile.get("text"):
        if not result.questions or (all(q.chosen is None or not (q.chosen.fragment.get("kinds")
                                                                or q.chosen.fragment.get("column"))
                                           for q in result.questions if q.status != "not found") and any(
                q.chosen is not None for q in result.questions)):
            return ("the catalog already knows every table title and header label of the samples: "
                    "there is nothing to onboard")
        open_ = sum(q.status == "ambiguous" for q in result.questions)
        return (f"of the {len(result.questions)} titles and labels the catalog does not know, none could be "
                f"named: {open_} ambiguous (the arithmetic cannot tell the candidate namings apart), the rest "
                "rejected by their checks or not found as tables (see the report): a profile would be empty")
    return None


__all__ = ["Onboarding", "Sample", "merge_profiles", "onboard_samples", "useful"]
