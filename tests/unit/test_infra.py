"""infra/ agrees with the code (issue 5): parsed with python-hcl2, no provider needed.

Fails when someone adds a function, a queue, a scheduler job or a setting in code and forgets infra/.
"""

from __future__ import annotations

import re
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
    ]
    set_ = Settings(
        function_name_prefix="lf-bergen-",
        link_signing_key="a" * 40,
        rate_limit_secret="b" * 40,
        session_signing_key="c" * 40,
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


# ---------------------------------------------------------------- issue 19: backups and alerts


def resources(root: dict[str, Any], rtype: str) -> dict[str, Any]:
    """name -> body of every resource of this type in infra/*.tf."""
    return {
        unq(name): body
        for block in root["resource"]
        for t, items in block.items()
        if unq(t) == rtype
        for name, body in items.items()
    }


def text(value: Any) -> str:
    """A parsed HCL string as Terraform reads it (quotes and escapes undone)."""
    return str(unq(value)).replace('\\"', '"')


def test_ttl_policies_are_the_registrys(root: dict[str, Any]) -> None:
    """Every collection whose documents carry expire_at has a TTL policy, and only those (issue 19
    found audit/ and the console's collections without one: nothing ever deleted them)."""
    from shared import registry

    ttl = resources(root, "google_firestore_field")["ttl"]
    listed = re.findall(r'"(\w+)"', str(ttl["for_each"]))
    assert set(listed) == registry.ttl_collections()
    assert text(ttl["field"]) == "expire_at"


def test_backups_are_the_registrys(root: dict[str, Any]) -> None:
    from shared import registry

    days = {b.name: b.retention_days for b in registry.BACKUPS}
    retention = {k: text(v) for k, v in root["locals"]["backup_retention"].items()}
    assert retention == {
        "daily": f"{days['daily'] * 86400}s",
        "weekly": f"{days['weekly'] * 86400}s",
    }
    schedules = resources(root, "google_firestore_backup_schedule")
    assert text(schedules["daily"]["retention"]) == "${local.backup_retention.daily}"
    assert "daily_recurrence" in schedules["daily"]
    assert text(schedules["weekly"]["retention"]) == "${local.backup_retention.weekly}"
    assert text(one(schedules["weekly"]["weekly_recurrence"])["day"]) == "SUNDAY"
    for s in schedules.values():
        assert text(s["database"]) == "${google_firestore_database.main.name}"
    db = resources(root, "google_firestore_database")["main"]
    assert text(db["point_in_time_recovery_enablement"]) == "POINT_IN_TIME_RECOVERY_ENABLED"
    assert days["pitr"] == 7  # Firestore's PITR window is fixed at 7 days
    # Firestore keeps a scheduled backup at most 14 weeks
    assert max(days.values()) <= 14 * 7


# policy -> (the metric or log its condition reads, what else its filter must say)
ALERTS = {
    "deadletter": ("logging.googleapis.com/user/${google_logging_metric.deadletters.name}", ()),
    "digest_not_run": (
        "logging.googleapis.com/user/${google_logging_metric.scheduled_runs.name}",
        ('metric.label.job="${var.prefix}-digest"',),
    ),
    "sweep_not_run": (
        "logging.googleapis.com/user/${google_logging_metric.scheduled_runs.name}",
        ('metric.label.job="${var.prefix}-sweep"',),
    ),
    "scheduled_job_failed": (
        "cloudscheduler AttemptFinished",
        ("severity>=ERROR", "(digest|report-q|report-y)"),
    ),
    "scheduler_job_paused": ("cloudscheduler audit", ("PauseJob", "DeleteJob")),
    "intake_5xx": (
        "run.googleapis.com/request_count",
        ('service_name="${var.prefix}-intake"', 'response_code_class="5xx"'),
    ),
    "intake_429": (
        "run.googleapis.com/request_count",
        ('service_name="${var.prefix}-intake"', 'response_code="429"'),
    ),
    "form_down": (
        "monitoring.googleapis.com/uptime_check/check_passed",
        ("${google_monitoring_uptime_check_config.form.uptime_check_id}",),
    ),
    "sms_spend": (
        "logging.googleapis.com/user/${google_logging_metric.messages_sent.name}",
        ('metric.label.channel="sms"',),
    ),
    "email_volume": (
        "logging.googleapis.com/user/${google_logging_metric.messages_sent.name}",
        ('metric.label.channel="email"',),
    ),
}


def test_alert_policies_name_the_right_metrics(root: dict[str, Any]) -> None:
    policies = resources(root, "google_monitoring_alert_policy")
    assert set(policies) == set(ALERTS)
    scheduler_logs = "google.cloud.scheduler.logging.AttemptFinished"
    for name, (metric, says) in ALERTS.items():
        condition = one(one(policies[name]["conditions"]))
        if "condition_matched_log" in condition:
            f = text(one(condition["condition_matched_log"])["filter"])
            if metric == "cloudscheduler AttemptFinished":
                assert f.startswith("${local.scheduler_finished}")
                assert scheduler_logs in text(root["locals"]["scheduler_finished"])
            else:
                assert 'resource.type="cloud_scheduler_job"' in f and "protoPayload" in f
        else:
            f = text(one(condition["condition_threshold"])["filter"])
            expected = metric.replace("logging.googleapis.com/user", "${local.user_metric}")
            assert f.startswith(f'metric.type="{expected}"'), (name, f)
        for phrase in says:
            assert phrase in f, (name, phrase, f)
    # the job names the alerts watch are the scheduler jobs infra/ creates
    assert {"digest", "report-q", "report-y", "sweep"} <= set(root["locals"]["scheduler_jobs"])
    assert text(root["locals"]["user_metric"]) == "logging.googleapis.com/user"
    # the metrics' own filters: the dead letter and the messages read the code's log lines
    # (evaluated on real lines in tests/integration/test_registry_database.py)
    metrics = resources(root, "google_logging_metric")
    assert 'jsonPayload.message="dead letter written"' in text(metrics["deadletters"]["filter"])
    assert 'jsonPayload.message="mail"' in text(metrics["messages_sent"]["filter"])
    assert text(metrics["scheduled_runs"]["filter"]).startswith("${local.scheduler_finished}")
    absent = one(one(policies["digest_not_run"]["conditions"])["condition_threshold"])
    assert text(one(absent["aggregations"])["alignment_period"]) == "90000s"  # 25 h: the maximum
    assert text(absent["evaluation_missing_data"]) == "EVALUATION_MISSING_DATA_ACTIVE"


def test_alerts_reach_the_coordinators_and_say_what_to_do(root: dict[str, Any]) -> None:
    for name, policy in resources(root, "google_monitoring_alert_policy").items():
        assert text(policy["notification_channels"]) == "${local.alert_channels}", name
        doc = one(policy["documentation"])
        assert "Hva du gjør" in text(doc["content"]), name
        assert text(doc["subject"]), name
    channel = resources(root, "google_monitoring_notification_channel")["coordinator"]
    assert text(channel["for_each"]) == "${toset(var.alert_emails)}"
    assert text(channel["type"]) == "email"
    # the demo deployment alerts the demo centre's coordinators
    env = load(INFRA / "envs" / "link-bergen" / "main.tf")
    module = {unq(k): v for block in env["module"] for k, v in block.items()}["linkflyt"]
    centre = load_centre_file("link-bergen")
    assert [unq(e) for e in module["alert_emails"]] == [c.email for c in centre.coordinators]


def load_centre_file(name: str) -> Any:
    from shared.config import load_centre

    return load_centre(REPO / "config" / "centres" / f"{name}.toml")


def test_the_uptime_check_opens_the_form_people_use(root: dict[str, Any]) -> None:
    loc = root["locals"]
    check = resources(root, "google_monitoring_uptime_check_config")["form"]
    http = one(check["http_check"])
    host = text(one(check["monitored_resource"])["labels"]["host"])
    assert host == "${local.form_host}"
    url = "https://" + text(loc["form_host"]) + text(loc["form_path"])
    public = text(loc["public_base_url"]).replace(
        "${local.functions_base_url}", text(loc["functions_base_url"])
    )
    assert url == public  # the address in every email
    assert text(http["path"]) == "${local.form_path}" and http["use_ssl"] is True
    regions = [unq(r) for r in check["selected_regions"]]
    assert len(regions) >= 3  # Cloud Monitoring's minimum, and "several regions"
    matcher = text(one(check["content_matchers"])["content"])
    from shared.config import get_centre
    from workflows.links import pages

    assert matcher in pages.form_page(get_centre(), "nb")


def test_the_budget_reaches_the_coordinators(root: dict[str, Any]) -> None:
    budget = resources(root, "google_billing_budget")["monthly"]
    assert text(budget["billing_account"]) == "${var.billing_account}"
    projects = one(budget["budget_filter"])["projects"]
    assert [text(p) for p in projects] == ["projects/${data.google_project.this.number}"]
    rules = [one(r) if isinstance(r, list) else r for r in budget["threshold_rules"]]
    assert sorted(float(r["threshold_percent"]) for r in rules) == [0.5, 0.9, 1.0]
    updates = one(budget["all_updates_rule"])
    assert "local.alert_channels" in text(updates["monitoring_notification_channels"])
    assert "billingbudgets.googleapis.com" in [unq(a) for a in root["locals"]["apis"]]


def test_the_log_filter_helper_reads_our_lines() -> None:
    """The helper tests/integration/test_registry_database.py evaluates infra's metric filters with."""
    import logging

    from shared.logs import JsonFormatter
    from tests.helpers.logfilter import infra_filters, matches

    def line(msg: str, level: int = logging.ERROR, **extra: Any) -> str:
        record = logging.LogRecord("workflows.steps", level, __file__, 1, msg, None, None)
        record.__dict__.update(extra)
        return JsonFormatter().format(record)

    f = infra_filters()["deadletters"]
    assert matches(f, line("dead letter written", step="notify", task="t1")) == (True, 1)
    assert matches(f, line("task handled", logging.INFO, step="notify"))[0] is False
    mail = infra_filters()["messages_sent"]
    assert matches(mail, line("mail", logging.INFO, outcome="sent", channel="sms"))[0]
    assert not matches(mail, line("mail", logging.INFO, outcome="already_sent"))[0]


def test_the_public_function_is_sized_and_watched(root: dict[str, Any]) -> None:
    """Issue 18: intake (form, every email link, the console) ran at most 5 instances of one
    request each, so one client could take it down, and nobody would have been told."""
    sizing = root["locals"]["intake_sizing"]
    assert sizing["max_instances"] >= 20 and sizing["concurrency"] > 1 and unq(sizing["cpu"]) == "1"
    module = root["module"]["function"]
    for arg in ("max_instances", "concurrency", "cpu"):
        assert "intake" in str(module[arg]) and "intake_sizing" in str(module[arg])
    # watched: the intake's 429 and 5xx alerts and the budget (test_alert_policies_name_the_right_metrics)
    policies = resources(root, "google_monitoring_alert_policy")
    assert {"intake_429", "intake_5xx"} <= set(policies)
    assert "monthly" in resources(root, "google_billing_budget")
    variables = load(INFRA / "modules" / "function" / "variables.tf")["variable"]
    assert {unq(k) for v in variables for k in v} >= {"concurrency", "cpu", "max_instances"}
