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
    centre_version: int = 0  # of the settings document `centre` was read from (0: the file)


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


# The centre's settings (issue 17): the file seeds a deployment; once the console has changed
# anything they live here, and every instance reads them before it answers.
SETTINGS_DOC = "settings/centre"


def refresh_centre(d: Deps, *, if_connected: bool = False) -> None:
    """Read the centre's settings from the store when they changed since this instance read them
    (one document read). `if_connected`: only when the store client is built already — the form
    page of a cold instance does not pay for the Firestore client (issue 12)."""
    if if_connected and isinstance(d.store, Lazy) and d.store._made is None:
        return
    doc = d.store.get(SETTINGS_DOC)
    if doc is None or int(doc.get("version") or 0) == d.centre_version:
        return
    d.centre = CentreConfig.model_validate(doc["config"])
    d.centre_version = int(doc["version"])


@lru_cache(maxsize=1)
def _deps() -> Deps:
    from shared import logs

    logs.configure()
    return build_deps()


def deps(*, if_connected: bool = False) -> Deps:
    d = _deps()
    refresh_centre(d, if_connected=if_connected)
    return d
