"""The TaskQueue port on Cloud Tasks (or gcloud-tasks-emulator locally, over plain gRPC).

The emulator does not de-duplicate task names as Cloud Tasks does, so correctness never relies on
it: handlers are idempotent on the task id carried in the body.
"""

from __future__ import annotations

import contextlib
import json

from google.api_core import exceptions as gexc
from google.cloud import tasks_v2
from google.protobuf import timestamp_pb2

from shared.ports import PermanentError, TaskSpec, TransientError


class CloudTasksQueue:
    def __init__(
        self,
        project: str,
        location: str,
        target_url: str,
        service_account: str = "",
        emulator_host: str = "",
        client: tasks_v2.CloudTasksClient | None = None,
        name_prefix: str = "",
    ) -> None:
        self._name_prefix = name_prefix
        self._project = project
        self._location = location
        self._url = target_url  # with {name}: the function's deployed name
        self._service_account = service_account
        if client is None:
            if emulator_host:
                import grpc
                from google.cloud.tasks_v2.services.cloud_tasks.transports import (
                    CloudTasksGrpcTransport,
                )

                channel = grpc.insecure_channel(emulator_host)
                client = tasks_v2.CloudTasksClient(
                    transport=CloudTasksGrpcTransport(channel=channel)
                )
            else:
                client = tasks_v2.CloudTasksClient()
        self._client = client

    def queue_path(self, queue: str) -> str:
        return self._client.queue_path(self._project, self._location, queue)

    def build(self, spec: TaskSpec) -> tasks_v2.Task:
        url = self._url.format(name=f"{self._name_prefix}{spec.target}")
        http = tasks_v2.HttpRequest(
            http_method=tasks_v2.HttpMethod.POST,
            url=url,
            headers={"Content-Type": "application/json"},
            body=json.dumps(spec.body, sort_keys=True).encode(),
        )
        if self._service_account:
            http.oidc_token = tasks_v2.OidcToken(
                service_account_email=self._service_account, audience=url
            )
        task = tasks_v2.Task(
            name=f"{self.queue_path(spec.queue)}/tasks/{spec.name}", http_request=http
        )
        if spec.schedule_at is not None:
            ts = timestamp_pb2.Timestamp()
            ts.FromDatetime(spec.schedule_at)
            task.schedule_time = ts
        return task

    def enqueue(self, spec: TaskSpec) -> None:
        try:
            self._client.create_task(parent=self.queue_path(spec.queue), task=self.build(spec))
        except gexc.AlreadyExists:
            return  # deterministic name: someone enqueued it before us
        except (gexc.ServiceUnavailable, gexc.DeadlineExceeded, gexc.InternalServerError) as exc:
            raise TransientError(str(exc)) from exc
        except gexc.TooManyRequests as exc:
            raise TransientError(str(exc)) from exc
        except gexc.GoogleAPICallError as exc:
            raise PermanentError(str(exc)) from exc

    def ensure_queue(self, queue: str) -> None:
        """Local stack only: create a queue (Terraform owns queues in the cloud)."""
        parent = f"projects/{self._project}/locations/{self._location}"
        with contextlib.suppress(gexc.AlreadyExists):
            self._client.create_queue(
                parent=parent, queue=tasks_v2.Queue(name=self.queue_path(queue))
            )
