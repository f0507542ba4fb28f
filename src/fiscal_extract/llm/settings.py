"""LLM endpoint settings: environment variables (``FISCAL_LLM_*``, ``OPENAI_*``) and an optional
TOML config file.  The API key is a secret: it is never printed, logged, cached or put into an
exception message."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from ..errors import CatalogError

ModeName = Literal["auto", "tools", "json_schema", "json", "md_json"]


class LLMSettings(BaseSettings):
    """Where the model is and how to talk to it (see the README for OpenAI, DeepSeek, Qwen,
    vLLM, Ollama and llama.cpp examples)."""

    model_config = SettingsConfigDict(env_prefix="FISCAL_LLM_", extra="ignore", populate_by_name=True)

    base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("FISCAL_LLM_BASE_URL", "OPENAI_BASE_URL", "base_url"))
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("FISCAL_LLM_API_KEY", "OPENAI_API_KEY", "api_key"))
    model: str | None = None
    mode: ModeName = "auto"
    timeout: float = 60.0
    """Seconds for one HTTP request."""
    max_attempts: int = 4
    """Transport attempts per call (connection errors, timeouts, 429, 5xx)."""
    max_seconds: float = 180.0
    """Bound on the total time one call may take, retries included."""
    doc_seconds: float | None = 120.0
    """Deadline for one document's model calls, retries included (``None`` or 0: none); what is
    left when it passes stays with the rules, with a notice."""
    run_seconds: float | None = None
    """Deadline for all the model calls of a run (one client); none by default."""
    breaker: int = 5
    """Failed calls in a row (each after its retries) after which the endpoint is not called again
    in this run (0: never stop).  A refused key (HTTP 401 / 403) stops the calls at once."""
    backoff: float = 0.5
    """Seconds of the first backoff (doubling, with jitter, up to ``backoff_max``)."""
    backoff_max: float = 20.0
    reasks: int = 2
    """Validation re-asks per call (the pydantic and arithmetic errors go back to the model)."""
    temperature: float = 0.0
    max_tokens: int = 2048
    seed: int | None = None
    cache_dir: Path = Path("cache")
    use_cache: bool = True
    token_budget: int | None = None
    """Stop making new calls once a run has used this many tokens (prompt + completion)."""
    concurrency: int = 4
    """Calls in flight at once on the async path."""

    @property
    def configured(self) -> bool:
        return bool(self.model and (self.base_url or self.api_key))

    def resolved_mode(self) -> str:
        """The instructor mode: explicit, or what the endpoint supports (local OpenAI-compatible
        servers -- llama.cpp, vLLM, Ollama -- constrain output with a JSON schema; hosted APIs take
        tool calls)."""
        if self.mode != "auto":
            return self.mode
        host = urlparse(self.base_url or "https://api.openai.com/v1").hostname or ""
        if host in ("localhost", "127.0.0.1", "::1", "0.0.0.0") or host.endswith(".local"):
            return "json_schema"
        return "tools"

    def describe(self) -> str:
        """A one-line description safe to print (no key)."""
        from .faults import mask, register_secret

        secret = self.api_key.get_secret_value() if self.api_key else ""
        register_secret(secret)
        key = "set" if secret else "not set"
        return mask(f"model {self.model or '(none)'} at {self.base_url or 'https://api.openai.com/v1'}, mode "
                    f"{self.resolved_mode()}, key {key}")


def load_settings(config: str | Path | None = None, **overrides: Any) -> LLMSettings:
    """Settings from a TOML file (``FISCAL_LLM_CONFIG`` or ``config``), then the environment, then
    ``overrides`` (CLI options) -- later sources win."""
    data: dict[str, Any] = {}
    path = config or os.environ.get("FISCAL_LLM_CONFIG")
    if path:
        try:
            raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CatalogError(f"no such LLM config file: {path}") from None
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(f"LLM config {path} is not valid TOML: {exc}") from None
        data = dict(raw.get("llm", raw))
    env = LLMSettings()
    merged = {**data, **{k: v for k, v in env.model_dump().items() if k in env.model_fields_set}}
    merged.update({k: v for k, v in overrides.items() if v is not None})
    return LLMSettings(**merged)
