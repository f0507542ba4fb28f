"""Command-line pieces of the model path: endpoint options, the run's usage summary, ``onboard``
and ``cache stats|clear``.  ``openai`` is imported only when a command needs a model."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import FiscalExtractError
from ..llm.settings import LLMSettings, load_settings

if TYPE_CHECKING:
    from ..llm.client import LLMClient

LLMConfigOpt = Annotated[
    Path | None, typer.Option("--llm-config", help="TOML file with an \\[llm] table: base_url, model, mode, timeout"
                              " ... (environment: FISCAL_LLM_* / OPENAI_*).")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="Model name (FISCAL_LLM_MODEL).")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the response cache.")]
CacheDirOpt = Annotated[Path | None, typer.Option("--cache-dir", help="Response cache directory (default cache/).")]
BudgetOpt = Annotated[int | None, typer.Option("--token-budget", help="Stop making model calls after this many "
                                                                      "tokens in this run.")]


def settings_from(config: Path | None, model: str | None = None, no_cache: bool = False,
                  cache_dir: Path | None = None, token_budget: int | None = None) -> LLMSettings:
    overrides: dict[str, Any] = {"model": model, "cache_dir": cache_dir, "token_budget": token_budget}
    if no_cache:
        overrides["use_cache"] = False
    return load_settings(config, **overrides)


def make_client(settings: LLMSettings) -> LLMClient:
    from ..llm.client import LLMClient

    return LLMClient(settings)


@contextmanager
def model_client(settings: LLMSettings, backend: str) -> Iterator[LLMClient | None]:
    """The client a command's documents share when ``backend`` needs a model and one is
    configured (else ``None``); closed at the end, with the run's usage printed to stderr."""
    client = make_client(settings) if backend != "rules" and settings.configured else None
    if backend != "rules" and not settings.configured:
        typer.echo(f"fiscal-extract: warning: --backend {backend} asked for, but no model is configured "
                   "(FISCAL_LLM_MODEL, FISCAL_LLM_BASE_URL / OPENAI_API_KEY or --llm-config): "
                   "reading with the rules only", err=True)
    try:
        yield client
    finally:
        if client is not None:
            client.close()
            typer.echo(usage_line(client), err=True)


def usage_line(client: LLMClient) -> str:
    u = client.usage
    by_task = ", ".join(f"{k} {v}" for k, v in sorted(u.by_task.items())) or "none"
    return (f"model {client.settings.model}: {u.calls} calls ({by_task}), {u.requests} requests, "
            f"{u.errors} failed, {u.tokens} tokens ({u.prompt_tokens} prompt + {u.completion_tokens} completion), "
            f"{u.cache_hits} cache hits, {u.seconds:.1f} s"
            + (f"; model calls stopped: {client.stopped}" if client.stopped else ""))


def _fail(message: str) -> typer.Exit:
    typer.echo(f"fiscal-extract: error: {message}", err=True)
    return typer.Exit(2)


def onboard(
    samples: Annotated[list[Path], typer.Argument(help="Sample documents of the new format.")],
    profile: Annotated[str, typer.Option("--profile", "-p", help="Name of the profile to write.")],
    out_dir: Annotated[Path, typer.Option("--dir", help="Where profiles are written.")] = Path("profiles"),
    base: Annotated[list[Path] | None, typer.Option("--base", help="Profiles to start from.")] = None,
    llm_config: LLMConfigOpt = None,
    model: ModelOpt = None,
    no_cache: NoCacheOpt = False,
    cache_dir: CacheDirOpt = None,
    token_budget: BudgetOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the coverage report as JSON.")] = False,
    review: Annotated[
        Path | None,
        typer.Option("--review", help="Also write the review page of the first sample, read with the new profile, "
                     "with the coverage report in its Onboarding tab."),
    ] = None,
) -> None:
    """Teach the catalog a new format and write it as a profile (with or without a model).

    For every table title and header label the catalog does not know, candidate namings (closest
    known titles and aliases, header words, codes; with a model configured, also the model's) are
    tried on the samples, and the one whose identities hold best is kept.

    Writes DIR/PROFILE.toml and prints a coverage report; exits 1, writing nothing, when nothing
    useful was found. Afterwards: extract --backend rules --profile PROFILE.
    """
    import json

    from ..onboard.coverage import coverage, report_text
    from ..onboard.engine import onboard_samples, useful
    from ..onboard.run import write_profile

    settings = settings_from(llm_config, model, no_cache, cache_dir, token_budget)
    client = make_client(settings) if settings.configured else None
    try:
        res = onboard_samples(samples, tuple(str(p) for p in base or ()), client)
        why = useful(res)
        if why is None:
            res.profile["notes"] = coverage(res)["confirm"]
            write_profile(res, profile, out_dir, settings.model if client else None, samples)
    except FiscalExtractError as exc:
        raise _fail(str(exc)) from None
    finally:
        if client is not None:
            client.close()
    typer.echo(json.dumps(coverage(res), ensure_ascii=False, indent=2, default=str) if as_json else report_text(res))
    if review is not None and why is None and res.path is not None:
        from ..options import ExtractOptions
        from ..report.review import review_file
        from ..report.review_html import review_html

        try:
            page = review_file(samples[0], ExtractOptions(profiles=(*(str(p) for p in base or ()), str(res.path))))
        except FiscalExtractError as exc:
            raise _fail(str(exc)) from None
        page.coverage = json.loads(json.dumps(coverage(res), ensure_ascii=False, default=str))
        review.write_text(review_html(page), encoding="utf-8")
        typer.echo(f"review page: {review}", err=True)
    if client is not None:
        typer.echo(usage_line(client), err=True)
    if why is not None:
        typer.echo(f"fiscal-extract: onboarding found nothing useful, no profile written: {why}", err=True)
        raise typer.Exit(1)


cache_app = typer.Typer(help="The model response cache.", no_args_is_help=True)


def _cache_dir(cache_dir: Path | None, llm_config: Path | None) -> Path | None:
    """The cache directory in use, or ``None`` (said on stdout) when there is none yet."""
    directory = Path(cache_dir or settings_from(llm_config).cache_dir)
    if not directory.exists():
        typer.echo(f"{directory}: no cache yet")
        return None
    return directory


@cache_app.command("stats")
def cache_stats(cache_dir: CacheDirOpt = None, llm_config: LLMConfigOpt = None) -> None:
    """Entries and size of the response cache."""
    import diskcache

    directory = _cache_dir(cache_dir, llm_config)
    if directory is not None:
        with diskcache.Cache(str(directory)) as c:
            typer.echo(f"{directory}: {len(c)} entries, {c.volume() / 1e6:.2f} MB")


@cache_app.command("clear")
def cache_clear(cache_dir: CacheDirOpt = None, llm_config: LLMConfigOpt = None) -> None:
    """Remove every cached response."""
    import diskcache

    directory = _cache_dir(cache_dir, llm_config)
    if directory is not None:
        with diskcache.Cache(str(directory)) as c:
            typer.echo(f"{directory}: removed {c.clear()} entries")
