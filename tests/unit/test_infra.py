"""infra/ agrees with the code (issue 5): parsed with python-hcl2, no provider needed.

Fails when someone adds a function, a queue, a scheduler job or a setting in code and forgets infra/.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest

from scripts.stack import REPO
from shared.config import Settings
from workflows.platform.chain import QUEUES

INFRA = REPO / "infra"
# Settings that exist only for the local stack (emulators, the .eml outbox folder).
LOCAL_ONLY = {"cloud_tasks_emulator_host", "outbox_dir", "smtp_ca_file", "sms_outbox_dir"}


def load(path: Path) -> dict[str, Any]:
    with path.open() as fh:
        return hcl2.load(fh)


def unq(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


@pytest.fixture(scope="module")
def root() -> dict[str, Any]:
    merged: dict[str, Any] = {"locals": {}, "resource": [], "module": {}, "variable": {}}
    for tf in sorted(INFRA.glob("*.tf")):
        doc = load(tf)
        for block in doc.get("locals", []):
            merged["locals"].update(block)
        merged["resource"] += doc.get("resource", [])
        for block in doc.get("module", []):
            merged["module"].update({unq(k): v for k, v in block.items()})
        for block in doc.get("variable", []):
            merged["variable"].update({unq(k): v for k, v in block.items()})
    return merged


def one(block: Any) -> Any:
    """python-hcl2 gives a nested block as a list of one."""
    return block[0] if isinstance(block, list) else block


def scheduler_job(root: dict[str, Any]) -> tuple[Any, Any, Any]:
    """The scheduler job resource, its http_target and its oidc_token."""
    job = next(
        r['"google_cloud_scheduler_job"']['"job"']
        for r in root["resource"]
        if '"google_cloud_scheduler_job"' in r
    )
    target = one(job["http_target"])
    return job, target, one(target["oidc_token"])


def code_functions() -> set[str]:
    return {p.stem for p in (REPO / "functions").glob("*.py") if not p.stem.startswith("_")}


def test_every_function_in_code_is_deployed_and_back(root: dict[str, Any]) -> None:
    deployed = set(root["locals"]["functions"])
    assert deployed == code_functions()
    for name in deployed:
        source = (REPO / "functions" / f"{name}.py").read_text()
        assert f"def {name}(request" in source  # the entry point Terraform names exists
    fn = root["module"]["function"]
    assert fn["for_each"] == "${local.functions}" and fn["entry_point"] == "${each.key}"
    module = (INFRA / "modules" / "function" / "main.tf").read_text()
    assert 'runtime     = "python311"' in module and "location = var.region" in module
    assert unq(root["variable"]["region"]["default"]) == "europe-north1"


def test_every_queue_exists_and_is_fed_and_consumed(root: dict[str, Any]) -> None:
    queues = root["locals"]["queues"]
    assert set(queues) == set(QUEUES.values())
    functions = root["locals"]["functions"]
    for queue in queues:
        feeders = [name for name, f in functions.items() if queue in [unq(x) for x in f["feeds"]]]
        assert feeders, f"no function may enqueue to {queue}"
        step = next(s for s, q in QUEUES.items() if q == queue)
        assert step in functions  # the queue's tasks go to the function of the same name
        assert "${local.tasks_invoker}" in functions[step]["invokers"]
        for key in ("max_attempts", "min_backoff", "max_backoff", "concurrent", "per_second"):
            assert key in queues[queue]
        # the handler dead-letters on the last attempt: it must know which one that is (issue 8)
        from workflows.tasks import MAX_ATTEMPTS

        assert int(queues[queue]["max_attempts"]) == MAX_ATTEMPTS[step]
    q = root["module"]["queue"]
    assert (
        "module.function[name].service_account" in q["enqueuers"]
    )  # rights per queue, not project


def test_scheduler_jobs_target_functions_with_oidc(root: dict[str, Any]) -> None:
    jobs = root["locals"]["scheduler_jobs"]
    targets = {unq(j["target"]) for j in jobs.values()}
    assert targets == {"digest", "report", "sweep"}
    assert targets <= set(root["locals"]["functions"])
    job, _target, oidc = scheduler_job(root)
    assert "scheduler_invoker" in oidc["service_account_email"]
    assert unq(job["time_zone"]) == "Europe/Oslo"
    schedules = {k: unq(j["schedule"]) for k, j in jobs.items()}
    assert schedules["digest"] == "0 7 * * *"
    for name in targets:
        assert "${local.scheduler_invoker}" in root["locals"]["functions"][name]["invokers"]


def test_only_intake_is_public(root: dict[str, Any]) -> None:
    for name, f in root["locals"]["functions"].items():
        public = f["public"] is True
        invokers = [unq(x) for x in f["invokers"]]
        assert public == (name == "intake"), name
        assert ("allUsers" in invokers) == (name == "intake"), name
        assert "allAuthenticatedUsers" not in invokers


def test_every_setting_the_code_reads_is_set(root: dict[str, Any]) -> None:
    env = set(root["locals"]["common_env"]) | set(root["locals"]["secret_env"])
    for field in Settings.model_fields:
        if field in LOCAL_ONLY:
            continue
        assert field.upper() in env, (
            f"{field.upper()} is read by shared/config.py but not set in infra/"
        )
    secrets = set(root["locals"]["secret_env"])
    assert {
        "LINK_SIGNING_KEY",
        "RATE_LIMIT_SECRET",
        "SESSION_SIGNING_KEY",
    } <= secrets  # from Secret Manager, never plain


def test_variables_are_typed_described_and_alphabetical() -> None:
    for tf in [INFRA / "variables.tf", *INFRA.glob("modules/*/variables.tf")]:
        names = []
        for block in load(tf).get("variable", []):
            for name, body in block.items():
                names.append(unq(name))
                assert "type" in body and "description" in body, f"{tf}: {name}"
        assert names == sorted(names), f"{tf}: variables not alphabetical"


def test_terraform_fmt_is_clean() -> None:
    terraform = shutil.which("terraform")
    assert terraform, "terraform is on the machine image (issue 5); install it to run this check"
    r = subprocess.run(
        [terraform, "fmt", "-check", "-recursive", str(INFRA)], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr


# ---------------------------------------------------------------- issue 12: least privilege


def test_each_function_gets_only_the_secrets_it_reads(root: dict[str, Any]) -> None:
    from shared.config import SECRETS

    declared = {unq(k): v for k, v in root["locals"]["secret_env"].items()}
    for name, f in root["locals"]["functions"].items():
        given = {unq(x) for x in f["secrets"]}
        assert given == set(SECRETS[name]), name
        assert given <= set(declared), name
    # the public form's path never holds the mail keys unless it sends mail (the console does)
    assert not set(SECRETS["assemble"]) and not set(SECRETS["sweep"])
    module = root["module"]["function"]
    assert "contains(each.value.secrets, k)" in str(module["secrets"])


def test_the_public_functions_request_logs_are_excluded(root: dict[str, Any]) -> None:
    found = [
        body
        for block in root["resource"]
        for name, items in block.items()
        if unq(name) == "google_logging_project_exclusion"
        for body in items.values()
    ]
    assert len(found) == 1
    text = unq(found[0]["filter"])
    assert "run.googleapis.com%2Frequests" in text
    assert 'service_name=\\"${var.prefix}-intake\\"' in text or "-intake" in text


def test_the_cloud_refuses_public_default_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    from shared.config import Settings, missing_secrets

    for key in (
        "LINK_SIGNING_KEY",
        "RATE_LIMIT_SECRET",
        "SESSION_SIGNING_KEY",
        "JITSI_APP_SECRET",
        "MAIL_BACKEND",
        "SMTP_USERNAME",
        "SMTP_PASSWORD",
    ):
        monkeypatch.delenv(key, raising=False)  # other tests' stack sets some of them

    local = Settings()
    assert missing_secrets(local, {}) == []  # the local stack runs on its defaults
    cloud = {"K_SERVICE": "lf-bergen-intake"}
    s = Settings(function_name_prefix="lf-bergen-")
    assert missing_secrets(s, cloud) == [
        "LINK_SIGNING_KEY",
        "RATE_LIMIT_SECRET",
        "SESSION_SIGNING_KEY",
        "JITSI_APP_SECRET",
    ]
    # the Jitsi app secret (issue 16) only when the centre's Jitsi server checks tokens
    from shared.config import DEFAULT_CENTRE_FILE, MeetingRooms, load_centre

    demo = load_centre(DEFAULT_CENTRE_FILE)
    assert demo.meeting_rooms.token_auth and "JITSI_APP_SECRET" in missing_secrets(s, cloud, demo)
    links_only = demo.model_copy(update={"meeting_rooms": MeetingRooms(provider="link")})
    assert "JITSI_APP_SECRET" not in missing_secrets(s, cloud, links_only)
    set_ = Settings(
        function_name_prefix="lf-bergen-",
        link_signing_key="a" * 40,
        rate_limit_secret="b" * 40,
        session_signing_key="c" * 40,
        jitsi_app_secret="d" * 40,
    )
    assert missing_secrets(set_, cloud) == []
    assert missing_secrets(set_.model_copy(update={"mail_backend": "ses"}), cloud) == [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
    ]
    # the centre's own mailbox (issue 11): a login without its password is refused, SES keys not asked
    smtp = set_.model_copy(update={"mail_backend": "smtp", "smtp_username": "post@senter.no"})
    assert missing_secrets(smtp, cloud) == ["SMTP_PASSWORD"]
    assert missing_secrets(smtp.model_copy(update={"smtp_password": "x" * 20}), cloud) == []
    assert (
        missing_secrets(
            Settings(function_name_prefix="lf-bergen-"), {"K_SERVICE": "lf-bergen-sweep"}
        )
        == []
    )
    assert missing_secrets(Settings(), {"FUNCTION_TARGET": "report", "K_SERVICE": "x"}) == []
    # and the deps refuse to start, naming them
    import os

    from shared.config import ConfigError
    from workflows.platform.runtime import build_deps

    before = dict(os.environ)
    try:
        os.environ.update(cloud)
        with pytest.raises(ConfigError, match="SESSION_SIGNING_KEY"):
            build_deps(s)
    finally:
        os.environ.clear()
        os.environ.update(before)


def test_tasks_and_scheduler_reach_internal_functions_where_ingress_and_audience_agree(
    root: dict[str, Any],
) -> None:
    """Cloud Run's ingress page: `internal` admits Cloud Tasks and Cloud Scheduler of the same
    project, at the run.app URL; Cloud Run checks the ID token's audience against that URL. So every
    function they call is internal-only, and the URL a task or a job is sent to is its audience."""
    from shared.adapters.cloud_tasks import CloudTasksQueue
    from shared.ports import TaskSpec

    loc = root["locals"]
    module = root["module"]["function"]
    assert unq(module["ingress"]) == '${each.value.public ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"}'
    callers = {"${local.tasks_invoker}", "${local.scheduler_invoker}"}
    called = {n for n, f in loc["functions"].items() if callers & set(f["invokers"])}
    assert called == {"assemble", "schedule", "notify", "digest", "report", "sweep"}
    assert all(loc["functions"][n]["public"] is False for n in called)

    template = unq(loc["task_url_template"])
    assert template == "https://{name}-${data.google_project.this.number}.${var.region}.run.app"
    assert unq(loc["common_env"]["TASK_URL_TEMPLATE"]) == "${local.task_url_template}"
    assert "replace(local.task_url_template" in str(loc["run_url"])
    _job, target, oidc = scheduler_job(root)
    assert unq(target["uri"]) == unq(oidc["audience"]) == "${local.run_url[each.value.target]}"

    # the code sends each task to the same URL, with the same URL as the audience
    number, region, prefix = "123456789012", "europe-north1", "linkflyt-bergen"
    cloud = template.replace("${data.google_project.this.number}", number).replace(
        "${var.region}", region
    )
    settings = Settings(task_url_template=cloud, function_name_prefix=f"{prefix}-")

    class Paths:
        def queue_path(self, project: str, location: str, queue: str) -> str:
            return f"projects/{project}/locations/{location}/queues/{queue}"

    q = CloudTasksQueue(
        "p",
        region,
        settings.task_url,
        service_account="tasks@p.iam.gserviceaccount.com",
        client=Paths(),  # type: ignore[arg-type]
        name_prefix=settings.function_name_prefix,
    )
    task = q.build(TaskSpec(queue="linkflyt-notify", target="notify", name="t1", body={}))
    expected = f"https://{prefix}-notify-{number}.{region}.run.app"
    assert task.http_request.url == expected
    assert task.http_request.oidc_token.audience == expected
    # Cloud Run gives the deterministic URL only if "<service>-<project number>" fits a DNS label
    longest = 21 + len("-schedule-") + 13  # prefix (variables.tf: at most 21) + a 13-digit number
    assert longest <= 63
