"""Structured JSON logs that Cloud Logging understands (severity, message, trace).

Privacy rule (DESIGN.md): never a name, contact, message text or IP address. Call sites log ids and
counts only; as a second line of defence, extra fields with personal-sounding keys are dropped and
anything shaped like an email address or phone number is masked.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from typing import Any, Final

_trace: ContextVar[str | None] = ContextVar("trace", default=None)
_FORBIDDEN_KEYS: Final = frozenset(
    {"name", "email", "phone", "message", "ip", "remote_addr", "contact", "body", "address"}
)
_EMAIL: Final = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_PHONE: Final = re.compile(r"(?<![\w.])\+?\d[\d \-]{6,}\d(?![\w.])")
_STD_ATTRS: Final = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def scrub(text: str) -> str:
    return _PHONE.sub("[number]", _EMAIL.sub("[email]", text))


def set_trace(header: str | None, project: str) -> None:
    """Link log lines to the request trace (X-Cloud-Trace-Context: TRACE_ID/SPAN;o=1)."""
    if header:
        trace_id = header.split("/")[0]
        _trace.set(f"projects/{project}/traces/{trace_id}")
    else:
        _trace.set(None)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": record.levelname,
            "message": scrub(record.getMessage()),
            "logger": record.name,
        }
        trace = _trace.get()
        if trace:
            entry["logging.googleapis.com/trace"] = trace
        for key, value in record.__dict__.items():
            if key in _STD_ATTRS or key.startswith("_") or key.lower() in _FORBIDDEN_KEYS:
                continue
            entry[key] = scrub(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["stack_trace"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(level: str = "INFO") -> None:
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("urllib3", "google", "grpc", "botocore", "werkzeug"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)
