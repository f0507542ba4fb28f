"""The model endpoint under faults: masking secrets, deadlines and the run's circuit breaker.

* :func:`mask` removes the configured key's actual value (whatever its shape -- not only
  ``sk-…``), ``Authorization`` header values and anything that looks like a key from a text that
  leaves the client (error messages, notices, log lines, cache entries).
* :func:`document_deadline` bounds the time one document's model calls may take (per thread or
  task: documents converted in parallel each have their own); the client also holds a per-run
  deadline.
* :class:`Breaker` stops every model call of a run once the endpoint has failed ``threshold``
  calls in a row, or at once when it refuses the key (HTTP 401 / 403).

Every stop is a :class:`CallsStopped`: the backends leave what remains to the rules, with a notice.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from ..errors import LLMError

MIN_SECRET = 6
"""Keys shorter than this are placeholders for local servers ("none", "EMPTY"), not secrets: masking
such a common word everywhere would garble messages."""

_SECRETS: set[str] = set()
_LOCK = threading.Lock()
_LOOKS_LIKE_KEY = re.compile(r"(sk-|Bearer\s+|api[_-]?key[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9_\-]{6,}", re.I)
_AUTHORIZATION = re.compile(
    r"(authorization[\"']?\s*[:=]\s*[\"']?)(?:(?:bearer|basic|token)\s+)?[^\s\"',}]+", re.I)


def register_secret(value: str | None) -> None:
    """Mask ``value`` in every text :func:`mask` sees from now on (the configured key)."""
    if value and len(value) >= MIN_SECRET:
        with _LOCK:
            _SECRETS.add(value)


def mask(text: str) -> str:
    """``text`` without the configured keys, ``Authorization`` values or anything like a key."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, "***")
    text = _AUTHORIZATION.sub(r"\1***", text)
    return _LOOKS_LIKE_KEY.sub(r"\1***", text)


class CallsStopped(LLMError):
    """No more model calls for this document (a deadline) or this run (the breaker, the budget)."""


class DeadlineExceeded(CallsStopped):
    """The document's (or the run's) time for model calls is spent."""


class EndpointStopped(CallsStopped):
    """The run's circuit breaker is open: the endpoint is not called again in this run."""


class AuthenticationFailed(EndpointStopped):
    """The endpoint refused the key (HTTP 401 / 403): no call of the run can succeed."""


_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("fiscal_llm_deadline", default=None)


@contextmanager
def document_deadline(seconds: float | None) -> Iterator[None]:
    """Model calls made inside the block (in this thread or task) end by ``seconds`` from now."""
    token = _DEADLINE.set((time.monotonic() + seconds, seconds) if seconds and seconds > 0 else None)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def document_remaining() -> tuple[float, float] | None:
    """Seconds left of the current document's deadline, and the deadline's length (or ``None``)."""
    d = _DEADLINE.get()
    return None if d is None else (d[0] - time.monotonic(), d[1])


class Breaker:
    """Counts consecutive failed calls of a run; open, it refuses every call with its reason."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.failures = 0
        self.reason: str | None = None
        self._lock = threading.Lock()

    def check(self) -> None:
        if self.reason is not None:
            raise EndpointStopped(self.reason)

    def success(self) -> None:
        with self._lock:
            self.failures = 0

    def failure(self, why: str) -> bool:
        """Count a failed call; True when this one opens the breaker."""
        with self._lock:
            self.failures += 1
            if self.reason is None and 0 < self.threshold <= self.failures:
                self.reason = (f"the endpoint failed {self.failures} calls in a row (last: {why}); "
                               "no more model calls in this run")
                return True
            return False

    def trip(self, reason: str) -> None:
        with self._lock:
            if self.reason is None:
                self.reason = reason


def find_error(exc: BaseException, pred: Callable[[BaseException], bool]) -> BaseException | None:
    """The first error in ``exc``'s chain (causes, contexts, instructor's failed attempts) for which
    ``pred`` holds."""
    todo: list[BaseException] = [exc]
    seen: set[int] = set()
    while todo:
        e = todo.pop(0)
        if id(e) in seen:
            continue
        seen.add(id(e))
        if pred(e):
            return e
        todo += [x for x in (e.__cause__, e.__context__) if x is not None]
        todo += [a.exception for a in getattr(e, "failed_attempts", None) or [] if getattr(a, "exception", None)]
    return None


class _Redact(logging.Filter):
    """Log records of the HTTP and model libraries, with anything like a key masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = mask("".join(traceback.format_exception(*record.exc_info)))
            record.exc_info = None
        return True


_REDACT = _Redact()
_LIBRARIES = ("instructor", "openai", "httpx", "httpx2", "httpcore", "httpcore2")


def redact_library_logs() -> None:
    """Filters apply per logger, not to children: every library logger gets the filter."""
    names = [n for n in list(logging.root.manager.loggerDict) if n.split(".")[0] in _LIBRARIES]
    for name in {*names, *_LIBRARIES}:
        lg = logging.getLogger(name)
        if _REDACT not in lg.filters:
            lg.addFilter(_REDACT)
