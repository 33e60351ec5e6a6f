"""Bootstrap: build the adapters once per instance, lazily (cold starts pay only for what they use)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from shared.config import (
    CentreConfig,
    ConfigError,
    Settings,
    get_centre,
    get_settings,
    missing_secrets,
)
from shared.ports import Clock, Mailer, Store, TaskQueue


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class Deps:
    settings: Settings
    centre: CentreConfig
    store: Store
    queue: TaskQueue
    mailer: Mailer
    clock: Clock


def build_deps(settings: Settings | None = None, centre: CentreConfig | None = None) -> Deps:
    from shared.adapters.cloud_tasks import CloudTasksQueue
    from shared.adapters.firestore_store import FirestoreStore
    from shared.adapters.mail import OutboxMailer, SesMailer

    settings = settings or get_settings()
    missing = missing_secrets(settings, os.environ)
    if missing:  # refuse to run with a public default key (issue 12)
        raise ConfigError(
            f"secrets not set (or still the public local default): {', '.join(missing)}"
        )
    centre = centre or get_centre()
    mailer: Mailer
    if settings.mail_backend == "ses":
        mailer = SesMailer(settings.ses_region)
    else:
        mailer = OutboxMailer(settings.outbox_dir)
    return Deps(
        settings=settings,
        centre=centre,
        store=FirestoreStore(settings.google_cloud_project),
        queue=CloudTasksQueue(
            project=settings.google_cloud_project,
            location=settings.tasks_location,
            target_base_url=settings.task_target_base,
            service_account=settings.tasks_service_account,
            emulator_host=settings.cloud_tasks_emulator_host,
            name_prefix=settings.function_name_prefix,
        ),
        mailer=mailer,
        clock=SystemClock(),
    )


@lru_cache(maxsize=1)
def deps() -> Deps:
    from shared import logs

    logs.configure()
    return build_deps()
