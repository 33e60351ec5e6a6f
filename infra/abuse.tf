# Issue 18: the abuse paths — who can be billed, and who can take the public function down.
# Kept in a file of its own (issue 19's alerts and budget live beside it, in their own blocks).

locals {
  # The public function serves the form, every email link (/actions) and the console: sized for
  # all three at once (it was 5 instances of one request each). Requests are short and mostly wait
  # on Firestore, so one instance takes several at a time (a whole CPU is needed for that).
  intake_sizing = { max_instances = 30, concurrency = 8, cpu = "1" }
}

# -------------------------------------------------------------- alerts on the public function

resource "google_monitoring_notification_channel" "abuse_email" {
  for_each     = toset(var.abuse_alert_emails)
  project      = var.project_id
  display_name = "linkflyt abuse alerts: ${each.value}"
  type         = "email"
  labels = {
    email_address = each.value
  }
}

# Refused (429) and failing (5xx) answers of intake: a flood from one client, a site posting the
# form through its visitors' browsers, or link guessing at /actions all show here before anyone
# phones. Counted per minute over 5 minutes.
resource "google_monitoring_alert_policy" "intake_refusals" {
  project      = var.project_id
  display_name = "${var.prefix}: intake answers many 429 or 5xx"
  combiner     = "OR"

  conditions {
    display_name = "429 answers of ${var.prefix}-intake"
    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND resource.labels.service_name = \"${var.prefix}-intake\" AND metric.type = \"run.googleapis.com/request_count\" AND metric.labels.response_code = \"429\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.intake_alert_per_minute
      duration        = "300s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_RATE"
      }
    }
  }

  conditions {
    display_name = "5xx answers of ${var.prefix}-intake"
    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND resource.labels.service_name = \"${var.prefix}-intake\" AND metric.type = \"run.googleapis.com/request_count\" AND metric.labels.response_code_class = \"5xx\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.intake_alert_per_minute / 10
      duration        = "300s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_RATE"
      }
    }
  }

  notification_channels = [for c in google_monitoring_notification_channel.abuse_email : c.id]
  documentation {
    content   = "linkflyt intake is refusing or failing many requests (README § Abuse). Check the 429s by path: /intake (form floods; receipts are capped per hour), /actions (failed link checks are slowed per client), /console (sign-in attempts)."
    mime_type = "text/markdown"
  }
}

# -------------------------------------------------------------- the bill

# SMS (SNS) and email (SES) are billed by AWS, not here: README § Deployment says how to set SNS's
# monthly spend limit. This budget covers the Google side (functions, Firestore, tasks, logs).
resource "google_billing_budget" "abuse" {
  count           = var.billing_account == "" ? 0 : 1
  billing_account = var.billing_account
  display_name    = "${var.prefix}: monthly spend (issue 18)"

  budget_filter {
    projects = ["projects/${data.google_project.this.number}"]
  }

  amount {
    specified_amount {
      currency_code = "USD"
      units         = tostring(var.monthly_budget_usd)
    }
  }

  threshold_rules {
    threshold_percent = 0.5
  }
  threshold_rules {
    threshold_percent = 1.0
  }
  threshold_rules {
    threshold_percent = 1.0
    spend_basis       = "FORECASTED_SPEND"
  }

  all_updates_rule {
    monitoring_notification_channels = [for c in google_monitoring_notification_channel.abuse_email : c.id]
    disable_default_iam_recipients   = false
  }
}
