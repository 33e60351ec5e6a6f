"""Issue 12: infra/ checked offline against the Google provider's own schema (scripts/infra_schema.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import infra_schema as ischema


@pytest.fixture(scope="module")
def schema() -> ischema.Schema:
    return ischema.schema()  # fetched once (pip), then read from var/cache/


def problems_in(tmp_path: Path, text: str, schema: ischema.Schema) -> list[str]:
    tf = tmp_path / "t.tf"
    tf.write_text(text)
    return ischema.check_file(tf, schema)


def test_infra_matches_the_provider_schema(schema: ischema.Schema) -> None:
    assert schema["provider_version"].startswith("8.")  # the current major (issue 19)
    assert "google_cloudfunctions2_function" in schema["resources"]
    assert ischema.check() == []


def test_a_misspelt_argument_is_found(tmp_path: Path, schema: ischema.Schema) -> None:
    found = problems_in(
        tmp_path,
        'resource "google_service_account" "a" {\n  account_id = "x"\n  display_nam = "y"\n}\n',
        schema,
    )
    assert len(found) == 1 and "no argument or block 'display_nam'" in found[0]


def test_a_missing_required_argument_is_found(tmp_path: Path, schema: ischema.Schema) -> None:
    found = problems_in(
        tmp_path, 'resource "google_service_account" "a" {\n  display_name = "y"\n}\n', schema
    )
    assert len(found) == 1 and "required 'account_id'" in found[0]


def test_blocks_are_checked_at_their_depth(tmp_path: Path, schema: ischema.Schema) -> None:
    text = """
resource "google_cloud_tasks_queue" "q" {
  name     = "q"
  location = "europe-north1"
  retry_config {
    max_attempts = 3
    max_backof   = "10s"
  }
  rate_limits = { max_dispatches_per_second = 1 }
}
resource "google_cloudfunctions2_function" "f" {
  name     = "f"
  location = "europe-north1"
  service_config {
    dynamic "secret_environment_variable" {
      for_each = {}
      content {
        key = "k"
      }
    }
  }
}
resource "google_no_such_thing" "n" {
  x = 1
}
"""
    found = "\n".join(problems_in(tmp_path, text, schema))
    assert "retry_config: no argument or block 'max_backof'" in found
    assert "'rate_limits' is a block, not an argument" in found
    assert "no block 'secret_environment_variable' (dynamic)" in found
    assert "no resource type 'google_no_such_thing'" in found


def test_a_value_outside_the_documented_choices_is_found(
    tmp_path: Path, schema: ischema.Schema
) -> None:
    """Issue 19: alert policies and backup schedules are mostly enums; a typo there is only
    found by the API at apply time unless we check it here."""
    text = """
resource "google_firestore_backup_schedule" "weekly" {
  retention = "4838400s"
  weekly_recurrence {
    day = "SUNDAYS"
  }
}
resource "google_monitoring_uptime_check_config" "u" {
  display_name     = "u"
  timeout          = "10s"
  checker_type     = "STATIC_IP"
}
resource "google_firestore_database" "d" {
  name        = "(default)"
  location_id = "eur3"
  type        = "FIRESTORE_NATIVE"
  point_in_time_recovery_enablement = "${var.pitr}"
}
"""
    found = "\n".join(problems_in(tmp_path, text, schema))
    assert "'day' is 'SUNDAYS', not one of" in found and "'SUNDAY'" in found
    assert (
        "'checker_type' is 'STATIC_IP', not one of ['STATIC_IP_CHECKERS', 'VPC_CHECKERS']" in found
    )
    assert "point_in_time_recovery_enablement" not in found  # an expression is not evaluated
    assert "FIRESTORE_NATIVE" not in found


def test_every_google_pin_in_infra_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema: ischema.Schema
) -> None:
    """An environment that pins another major than infra/versions.tf is caught (issue 19)."""
    infra = tmp_path / "infra"
    (infra / "envs" / "x").mkdir(parents=True)
    pin = (
        'terraform {\n  required_providers {\n    google = {\n      version = "%s"\n    }\n  }\n}\n'
    )
    (infra / "versions.tf").write_text(pin % "~> 8.7")
    (infra / "envs" / "x" / "main.tf").write_text(pin % "~> 6.0")
    monkeypatch.setattr(ischema, "INFRA", infra)
    monkeypatch.setattr(ischema, "REPO", tmp_path)
    assert ischema.check() == ["infra/envs/x/main.tf pins google '~> 6.0'; the schema is 8.7.0"]
    (infra / "versions.tf").write_text("")
    assert "infra/versions.tf pins no google provider version" in ischema.check()


def test_the_pinned_version_must_admit_the_schema() -> None:
    assert ischema.pinned_admits("~> 8.7", "8.7.0")
    assert not ischema.pinned_admits("~> 6.0", "8.7.0")
    assert ischema.pinned_admits("~> 6.0", "6.50.0")
    assert not ischema.pinned_admits("~> 5.0", "6.50.0")
    assert not ischema.pinned_admits("~> 6.51.0", "6.50.0")
    assert ischema.pinned_admits(">= 6.0, < 7.0", "6.50.0")
    assert not ischema.pinned_admits(">= 6.0, < 6.5", "6.50.0")
