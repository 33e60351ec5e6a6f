"""Bootstrap: build the adapters once per instance, lazily (cold starts pay only for what they use)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Generic, TypeVar, cast

from shared.config import (
    CentreConfig,
    ConfigError,
    Settings,
    get_centre,
    get_settings,
    missing_secrets,
)
from shared.ports import Clock, Mailer, SmsSender, Store, TaskQueue


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


T = TypeVar("T")


class Lazy(Generic[T]):
    """Builds an adapter at its first use. The client libraries behind the store, the queue and the
    mailer (gRPC, protobuf, boto3) are most of a cold start's imports; a page that never stores,
    queues or mails — the intake's form — never imports them (issue 12)."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._made: T | None = None
        self._lock = threading.Lock()

    def _lazy_target(self) -> T:  # a name no adapter method has (Store has get)
        if self._made is None:
            with self._lock:
                if self._made is None:
                    self._made = self._build()
        return self._made

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lazy_target(), name)


@dataclass
class Deps:
    settings: Settings
    centre: CentreConfig
    store: Store
    queue: TaskQueue
    mailer: Mailer
    clock: Clock
    sms: SmsSender | None = None  # None: SMS_BACKEND=none (phone-only people reached by staff)


def build_deps(settings: Settings | None = None, centre: CentreConfig | None = None) -> Deps:
    settings = settings or get_settings()
    centre = centre or get_centre()
    missing = missing_secrets(settings, os.environ, centre)
    if missing:  # refuse to run with a public default key (issue 12)
        raise ConfigError(
            f"secrets not set (or still the public local default): {', '.join(missing)}"
        )
    s = settings

    def store() -> Store:
        from shared.adapters.firestore_store import FirestoreStore

        return FirestoreStore(s.google_cloud_project)

    def queue() -> TaskQueue:
        from shared.adapters.cloud_tasks import CloudTasksQueue

        return CloudTasksQueue(
            project=s.google_cloud_project,
            location=s.tasks_location,
            target_url=s.task_url,
            service_account=s.tasks_service_account,
            emulator_host=s.cloud_tasks_emulator_host,
            name_prefix=s.function_name_prefix,
        )

    def mailer() -> Mailer:
        from shared.adapters.mail import OutboxMailer, SesMailer, SmtpMailer

        if s.mail_backend == "ses":
            return SesMailer(s.ses_region)
        if s.mail_backend == "smtp":
            return SmtpMailer(
                s.smtp_host,
                s.smtp_port,
                s.smtp_username,
                s.smtp_password,
                s.smtp_security,
                ca_file=s.smtp_ca_file,
            )
        return OutboxMailer(s.outbox_dir)

    def sms() -> SmsSender:
        from shared.adapters.sms import OutboxSms, SnsSms

        if s.sms_backend == "sns":
            return SnsSms(s.sns_region, s.sms_sender_id)
        return OutboxSms(s.sms_outbox_dir)

    return Deps(
        settings=settings,
        centre=centre,
        store=cast(Store, Lazy(store)),
        queue=cast(TaskQueue, Lazy(queue)),
        mailer=cast(Mailer, Lazy(mailer)),
        clock=SystemClock(),
        sms=None if s.sms_backend == "none" else cast(SmsSender, Lazy(sms)),
    )


@lru_cache(maxsize=1)
def deps() -> Deps:
    from shared import logs

    logs.configure()
    return build_deps()
