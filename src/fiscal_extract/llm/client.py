"""The model client: ``openai`` + ``instructor``, with retries, re-asks, a response cache, token
accounting and a token budget.

* Transport errors (connection, timeout, 429 -- honouring Retry-After -- and 5xx) are retried
  with ``tenacity``: exponential backoff with jitter, a bounded number of attempts and a bounded
  total time.
* An answer that does not validate (pydantic errors, failed arithmetic identities) goes back to
  the model as a re-ask through instructor, with the error text.
* Every successful answer is memoised in ``diskcache``, keyed by model, endpoint, rendered
  messages, response schema, mode and sampling parameters -- never by the key -- so an identical
  call costs nothing and a changed model or prompt never hits an old entry.
* Tokens of every response -- failed attempts and re-asks included -- are counted.
* Each call keeps within the document's and the run's deadlines; the run's circuit breaker stops
  calling an endpoint that failed several calls in a row or refused the key; the key and any
  ``Authorization`` value are masked in every text that leaves the client (see :mod:`.faults`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

import diskcache
import instructor
import openai
from instructor.core.exceptions import InstructorError
from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)
from tenacity.stop import stop_base

from ..errors import LLMError
from .faults import (
    AuthenticationFailed,
    Breaker,
    CallsStopped,
    DeadlineExceeded,
    EndpointStopped,
    document_remaining,
    find_error,
    mask,
    redact_library_logs,
    register_secret,
)
from .schemas import VALIDATION_CONTEXT
from .settings import LLMSettings

T = TypeVar("T", bound=BaseModel)

MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}
# everything the stack raises for a failed call: transport, HTTP status, parsing, validation
_FAILURES = (openai.OpenAIError, InstructorError, ValidationError, ValueError)
_TRANSPORT = (openai.APIConnectionError, openai.APITimeoutError, openai.RateLimitError, openai.InternalServerError)


class BudgetExhausted(CallsStopped):
    """The run's token budget is spent: no new calls are made."""


class FormatUnsupported(LLMError):
    """The endpoint refused the JSON-schema response format (an ``auto`` mode falls back to tools)."""


def _format_refused(exc: BaseException) -> bool:
    """An error that says the server does not know ``response_format: json_schema``
    (llama-cpp-python's server, older vLLM / Ollama releases)."""
    e: BaseException | None = exc
    seen: set[int] = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, openai.APIStatusError) and e.status_code in (400, 422, 500):
            text = str(e)
            if "response_format" in text and ("json_schema" in text or "json_object" in text):
                return True
        e = e.__cause__ or e.__context__
    return False


class ValidationFailed(LLMError):
    """The model's answer still failed validation after every re-ask."""


@dataclass
class Usage:
    calls: int = 0
    """Logical calls made to the model (cache hits excluded)."""
    requests: int = 0
    """HTTP requests answered (attempts, retries and re-asks included)."""
    errors: int = 0
    """Requests that failed in transport."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_hits: int = 0
    seconds: float = 0.0
    by_task: dict[str, int] = field(default_factory=dict)

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["tokens"] = self.tokens
        d["seconds"] = round(self.seconds, 3)
        return d

    def minus(self, before: Usage) -> Usage:
        return Usage(
            self.calls - before.calls, self.requests - before.requests, self.errors - before.errors,
            self.prompt_tokens - before.prompt_tokens, self.completion_tokens - before.completion_tokens,
            self.cache_hits - before.cache_hits, self.seconds - before.seconds,
            {k: v - before.by_task.get(k, 0) for k, v in self.by_task.items() if v - before.by_task.get(k, 0)},
        )

    def copy(self) -> Usage:
        return Usage(**{**asdict(self), "by_task": dict(self.by_task)})


def _transport_cause(exc: BaseException) -> BaseException | None:
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, _TRANSPORT):
            return e
        if isinstance(e, openai.APIStatusError) and e.status_code >= 500:
            return e
        e = e.__cause__ or e.__context__
    return None


def _retry_after(state: RetryCallState) -> float | None:
    exc = state.outcome.exception() if state.outcome else None
    cause = _transport_cause(exc) if exc else None
    response = getattr(cause, "response", None)
    if response is None:
        return None
    for name in ("retry-after-ms", "retry-after"):
        v = response.headers.get(name)
        if v is None:
            continue
        try:
            secs = float(v) / (1000 if name.endswith("ms") else 1)
        except ValueError:
            continue
        return secs if 0 <= secs <= 120 else None
    return None


class _Wait:
    """Exponential backoff with jitter, but never less than the server's Retry-After."""

    def __init__(self, base: float, cap: float) -> None:
        self.backoff = wait_random_exponential(multiplier=base, max=cap)

    def __call__(self, state: RetryCallState) -> float:
        ra = _retry_after(state)
        b = self.backoff(state)
        return max(b, ra) if ra is not None else b


class _Base:
    def __init__(self, settings: LLMSettings) -> None:
        if not settings.model:
            raise LLMError("no model configured (set FISCAL_LLM_MODEL, and FISCAL_LLM_BASE_URL or OPENAI_API_KEY)")
        self.settings = settings
        self.usage = Usage()
        self._lock = threading.Lock()
        self._cache: diskcache.Cache | None = (
            diskcache.Cache(str(settings.cache_dir)) if settings.use_cache else None
        )
        self.mode = settings.resolved_mode()
        register_secret(settings.api_key.get_secret_value() if settings.api_key else None)
        self.breaker = Breaker(settings.breaker)
        self._run_end = time.monotonic() + settings.run_seconds if settings.run_seconds else None
        redact_library_logs()

    @property
    def stopped(self) -> str | None:
        """Why the run's model calls stopped (the breaker is open), or ``None``."""
        return self.breaker.reason

    def _remaining(self) -> tuple[float, str] | None:
        """Seconds left before the nearest deadline (the document's or the run's), and which it is."""
        out: tuple[float, str] | None = None
        doc = document_remaining()
        if doc is not None:
            out = (doc[0], f"the document's deadline for model calls ({doc[1]:g} s)")
        if self._run_end is not None:
            left = self._run_end - time.monotonic()
            if out is None or left < out[0]:
                out = (left, f"the run's deadline for model calls ({self.settings.run_seconds:g} s)")
        return out

    # ----------------------------------------------------------- accounting (instructor hooks)
    def _on_response(self, resp: Any) -> None:
        usage = getattr(resp, "usage", None)
        with self._lock:
            self.usage.requests += 1
            if usage is not None:
                self.usage.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
                self.usage.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)

    def _on_error(self, *_: Any) -> None:
        with self._lock:
            self.usage.errors += 1

    def _hook(self, client: Any) -> None:
        client.on("completion:response", self._on_response)
        client.on("completion:error", self._on_error)

    # ----------------------------------------------------------- cache
    def cache_key(self, task: str, messages: list[dict[str, Any]], response_model: type[BaseModel]) -> str:
        s = self.settings
        schema = json.dumps(response_model.model_json_schema(), sort_keys=True, ensure_ascii=False)
        ident = {
            "task": task,
            "model": s.model,
            "endpoint": s.base_url or "https://api.openai.com/v1",
            "mode": self.mode,
            "messages": messages,
            "schema": hashlib.sha256(schema.encode()).hexdigest(),
            "temperature": s.temperature,
            "max_tokens": s.max_tokens,
            "seed": s.seed,
            "reasks": s.reasks,
        }
        return hashlib.sha256(json.dumps(ident, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def _cached(self, key: str, response_model: type[T]) -> T | None:
        if self._cache is None:
            return None
        hit = self._cache.get(key)
        if hit is None:
            return None
        try:
            obj = response_model.model_validate(hit)
        except ValidationError:
            return None  # an entry from an older schema: ignore it
        with self._lock:
            self.usage.cache_hits += 1
        return obj

    def _store(self, key: str, obj: BaseModel) -> None:
        if self._cache is not None:
            data = obj.model_dump(mode="json")
            text = json.dumps(data, ensure_ascii=False)
            if mask(text) != text:  # an answer echoing a key is masked before it is kept
                data = json.loads(mask(text))
            self._cache.set(key, data)

    def _openai_args(self) -> dict[str, Any]:
        s = self.settings
        key = s.api_key.get_secret_value() if s.api_key else "no-key"
        return {"base_url": s.base_url, "api_key": key, "timeout": s.timeout, "max_retries": 0}

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        self._ic = instructor.from_openai(self._oc, mode=MODES[mode])  # type: ignore[attr-defined]
        self._hook(self._ic)

    def _start(self, task: str, messages: list[dict[str, Any]], response_model: type[T]) -> tuple[str, T | None]:
        """The cache key and a cached answer; else the budget is checked and the call counted."""
        key = self.cache_key(task, messages, response_model)
        hit = self._cached(key, response_model)
        if hit is None:
            self.breaker.check()
            left = self._remaining()
            if left is not None and left[0] <= 0:
                if left[1].startswith("the run's"):
                    self.breaker.trip(f"{left[1]} passed; no more model calls in this run")
                    self.breaker.check()
                raise DeadlineExceeded(f"{left[1]} passed")
            self._budget()
            with self._lock:
                self.usage.calls += 1
                self.usage.by_task[task] = self.usage.by_task.get(task, 0) + 1
        return key, hit

    def _budget(self) -> None:
        b = self.settings.token_budget
        if b is not None and self.usage.tokens >= b:
            raise BudgetExhausted(f"the token budget ({b}) is spent: {self.usage.tokens} tokens used")

    def _kwargs(self, messages: list[dict[str, Any]], response_model: type[BaseModel]) -> dict[str, Any]:
        s = self.settings
        kw: dict[str, Any] = {
            "model": s.model, "messages": messages, "response_model": response_model,
            "max_retries": s.reasks, "temperature": s.temperature, "max_tokens": s.max_tokens,
        }
        if s.seed is not None:
            kw["seed"] = s.seed
        left = self._remaining()
        if left is not None:  # a request never outlives the deadline
            kw["timeout"] = max(0.05, min(s.timeout, left[0]))
        return kw

    def _retrying_args(self) -> dict[str, Any]:
        s = self.settings
        return {
            "retry": retry_if_exception(lambda e: _transport_cause(e) is not None and not _format_refused(e)),
            "wait": _Wait(s.backoff, s.backoff_max),
            "stop": (stop_after_attempt(max(1, s.max_attempts)) | stop_after_delay(s.max_seconds)
                     | _StopAtDeadline(self)),
            "reraise": True,
        }

    def _fallback(self) -> str:
        return "tools"

    def _translate(self, exc: BaseException, attempts: int) -> LLMError:
        """One error with a true, masked message; the breaker learns how the call ended."""
        if self.settings.mode == "auto" and self.mode == "json_schema" and _format_refused(exc):
            return FormatUnsupported("the endpoint does not take JSON-schema response formats: "
                                     f"{_safe(str(exc))[:200]}")
        refused = find_error(exc, lambda e: isinstance(e, openai.APIStatusError) and e.status_code in (401, 403))
        if refused is not None:
            status = refused.status_code  # type: ignore[attr-defined]
            why = (f"authentication failed (HTTP {status}): {_safe(str(refused))[:200]}; "
                   "no more model calls in this run")
            self.breaker.trip(why)
            return AuthenticationFailed(why)
        cause = _transport_cause(exc)
        if cause is not None:
            what = (f"after {attempts} attempt{'s' if attempts != 1 else ''}: "
                    f"{type(cause).__name__}: {_safe(str(cause))}")
            left = self._remaining()
            opened = self.breaker.failure(f"{type(cause).__name__}")
            if opened:
                return EndpointStopped(f"the model endpoint failed {what}; {self.breaker.reason}")
            if left is not None and left[0] <= 0.05:
                return DeadlineExceeded(f"{left[1]} passed: the call failed {what}")
            return LLMError(f"the model endpoint failed {what}")
        self.breaker.success()  # the endpoint answered (not usefully)
        n = getattr(find_error(exc, lambda e: hasattr(e, "n_attempts")), "n_attempts", None)
        reasks = max(0, int(n) - 1) if isinstance(n, int) else self.settings.reasks
        return ValidationFailed(f"the model's answer did not validate after {reasks} re-ask"
                                f"{'s' if reasks != 1 else ''}: {_last_error(exc)}")

    def stats(self) -> dict[str, Any]:
        if self._cache is None:
            return {"enabled": False}
        return {"enabled": True, "directory": str(self.settings.cache_dir), "entries": len(self._cache),
                "bytes": self._cache.volume()}

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()


class _StopAtDeadline(stop_base):
    """Stop retrying when the next attempt would start after the nearest deadline."""

    def __init__(self, client: _Base) -> None:
        self.client = client

    def __call__(self, state: RetryCallState) -> bool:
        left = self.client._remaining()
        return left is not None and left[0] - (state.upcoming_sleep or 0) <= 0


def _last_error(exc: BaseException, limit: int = 300) -> str:
    """The error of the last failed attempt, on one line (not instructor's whole transcript)."""
    attempts = getattr(exc, "failed_attempts", None) or []
    inner: BaseException = attempts[-1].exception if attempts else exc
    if isinstance(inner, ValidationError):
        text = "; ".join(f"{'.'.join(str(x) for x in e['loc']) or 'answer'}: {e['msg']}" for e in inner.errors())
    else:
        text = str(inner)
    text = " ".join(text.split())
    return _safe(text if len(text) <= limit else text[: limit - 3] + "...")


_safe = mask


redact_library_logs()
# instructor logs every failed attempt at WARNING/ERROR; the pipeline reports failures itself
logging.getLogger("instructor").setLevel(logging.CRITICAL)


@contextmanager
def _context(ctx: dict[str, Any] | None) -> Iterator[None]:
    token = VALIDATION_CONTEXT.set(ctx or {})
    try:
        yield
    finally:
        VALIDATION_CONTEXT.reset(token)


class LLMClient(_Base):
    """Synchronous client."""

    def __init__(self, settings: LLMSettings) -> None:
        super().__init__(settings)
        self._oc = openai.OpenAI(**self._openai_args())
        self._set_mode(self.mode)

    def structured(self, task: str, messages: list[dict[str, Any]], response_model: type[T],
                   context: dict[str, Any] | None = None) -> T:
        """One schema-guided answer (cached; retried; re-asked on validation errors)."""
        try:
            return self._structured(task, messages, response_model, context)
        except FormatUnsupported:
            self._set_mode(self._fallback())
            return self._structured(task, messages, response_model, context)

    def _structured(self, task: str, messages: list[dict[str, Any]], response_model: type[T],
                    context: dict[str, Any] | None = None) -> T:
        key, hit = self._start(task, messages, response_model)
        if hit is not None:
            return hit
        t0 = time.perf_counter()
        attempts = 0
        try:
            with _context(context):
                for attempt in Retrying(**self._retrying_args()):
                    with attempt:
                        attempts = attempt.retry_state.attempt_number
                        obj = self._ic.chat.completions.create(**self._kwargs(messages, response_model))
        except _FAILURES as exc:  # every failure becomes one LLMError with a safe message
            raise self._translate(exc, attempts) from None
        finally:
            self.usage.seconds += time.perf_counter() - t0
        self.breaker.success()
        self._store(key, obj)
        return obj  # type: ignore[no-any-return]


class AsyncLLMClient(_Base):
    """Asynchronous client: the same behaviour, with at most ``settings.concurrency`` calls in flight."""

    def __init__(self, settings: LLMSettings) -> None:
        super().__init__(settings)
        self._oc = openai.AsyncOpenAI(**self._openai_args())
        self._set_mode(self.mode)
        self._sem = asyncio.Semaphore(max(1, settings.concurrency))

    async def structured(self, task: str, messages: list[dict[str, Any]], response_model: type[T],
                         context: dict[str, Any] | None = None) -> T:
        try:
            return await self._structured(task, messages, response_model, context)
        except FormatUnsupported:
            self._set_mode(self._fallback())
            return await self._structured(task, messages, response_model, context)

    async def _structured(self, task: str, messages: list[dict[str, Any]], response_model: type[T],
                          context: dict[str, Any] | None = None) -> T:
        key, hit = self._start(task, messages, response_model)
        if hit is not None:
            return hit
        async with self._sem:
            t0 = time.perf_counter()
            attempts = 0
            try:
                self.breaker.check()  # it may have opened while this call waited for a slot
                with _context(context):
                    async for attempt in AsyncRetrying(**self._retrying_args()):
                        with attempt:
                            attempts = attempt.retry_state.attempt_number
                            obj = await self._ic.chat.completions.create(**self._kwargs(messages, response_model))
            except _FAILURES as exc:  # every failure becomes one LLMError with a safe message
                raise self._translate(exc, attempts) from None
            finally:
                self.usage.seconds += time.perf_counter() - t0
        self.breaker.success()
        self._store(key, obj)
        return obj  # type: ignore[no-any-return]


def make_client(settings: LLMSettings, factory: Callable[[LLMSettings], LLMClient] | None = None) -> LLMClient:
    return (factory or LLMClient)(settings)
