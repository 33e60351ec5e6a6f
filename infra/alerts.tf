# Alerts that reach the coordinators before anyone phones (issue 19; README § Alerts and runbook).
# Every policy's documentation says in plain words what to do; the metrics are named in
# tests/unit/test_infra.py, which also checks each log-based metric's filter against the log
# line the code writes.

locals {
  alert_channels = [for c in google_monitoring_notification_channel.coordinator : c.id]
  # The public form, at the address people and emails use (PUBLIC_BASE_URL).
  form_host = "${var.region}-${var.project_id}.cloudfunctions.net"
  form_path = "/${var.prefix}-intake"
  # Our functions' application logs (JSON lines on stdout become jsonPayload).
  app_logs = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=~\"^${var.prefix}-\""
  # Cloud Scheduler writes one AttemptFinished entry per attempt (httpRequest.status: the answer).
  scheduler_finished = "resource.type=\"cloud_scheduler_job\" AND resource.labels.job_id=~\"^${var.prefix}-\" AND jsonPayload.@type=\"type.googleapis.com/google.cloud.scheduler.logging.AttemptFinished\""
  user_metric        = "logging.googleapis.com/user"
}

resource "google_monitoring_notification_channel" "coordinator" {
  for_each     = toset(var.alert_emails)
  project      = var.project_id
  display_name = "linkflyt ${var.prefix}: ${each.value}"
  type         = "email"
  labels = {
    email_address = each.value
  }
  depends_on = [google_project_service.api]
}

# ------------------------------------------------------------------ log-based metrics

# workflows/platform/steps.dead_letter, the one writer of deadletters/, logs this line (ids only).
resource "google_logging_metric" "deadletters" {
  project = var.project_id
  name    = "${var.prefix}-deadletters"
  filter  = "${local.app_logs} AND jsonPayload.message=\"dead letter written\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key         = "step"
      value_type  = "STRING"
      description = "the step that gave up (assemble, schedule, notify)"
    }
  }
  label_extractors = {
    step = "EXTRACT(jsonPayload.step)"
  }
}

# workflows/messaging/notify logs "mail" once per message with its channel and outcome (no address, no text).
resource "google_logging_metric" "messages_sent" {
  project = var.project_id
  name    = "${var.prefix}-messages-sent"
  filter  = "${local.app_logs} AND jsonPayload.message=\"mail\" AND jsonPayload.outcome=\"sent\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key         = "channel"
      value_type  = "STRING"
      description = "email (SES or SMTP) or sms (SNS)"
    }
  }
  label_extractors = {
    channel = "EXTRACT(jsonPayload.channel)"
  }
}

# Scheduled runs that the function answered with 2xx.
resource "google_logging_metric" "scheduled_runs" {
  project = var.project_id
  name    = "${var.prefix}-scheduled-runs"
  filter  = "${local.scheduler_finished} AND httpRequest.status>=200 AND httpRequest.status<300"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key         = "job"
      value_type  = "STRING"
      description = "the scheduler job (<prefix>-digest, -report-q, -report-y, -sweep)"
    }
  }
  label_extractors = {
    job = "EXTRACT(resource.labels.job_id)"
  }
}

# ------------------------------------------------------------------ alert policies

resource "google_monitoring_alert_policy" "deadletter" {
  project               = var.project_id
  display_name          = "linkflyt ${var.prefix}: a task was given up (dead letter)"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.alert_channels
  conditions {
    display_name = "new dead letter"
    condition_threshold {
      filter          = "metric.type=\"${local.user_metric}/${google_logging_metric.deadletters.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    subject   = "linkflyt: en oppgave ble gitt opp"
    content   = <<-EOT
      Noe linkflyt skulle gjøre (en e-post, en SMS, et gruppeforslag) feilet for godt og ble lagt til side.
      Hva du gjør: Åpne konsollet og se hvem som venter på hva; morgendagens oppsummering lister saken med årsaken.
      Står det SMTP_PASSWORD, SES eller SNS i årsaken, må passordet eller nøkkelen byttes (se README, "Runbook").
      Ring personen det gjelder hvis en invitasjon eller kvittering ikke kom fram.
    EOT
  }
}

resource "google_monitoring_alert_policy" "scheduled_job_failed" {
  project               = var.project_id
  display_name          = "linkflyt ${var.prefix}: the digest or a report job failed"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.alert_channels
  conditions {
    display_name = "digest or report attempt failed"
    condition_matched_log {
      filter = "${local.scheduler_finished} AND severity>=ERROR AND resource.labels.job_id=~\"^${var.prefix}-(digest|report-q|report-y)$\""
    }
  }
  alert_strategy {
    notification_rate_limit {
      period = "3600s"
    }
    auto_close = "86400s"
  }
  documentation {
    mime_type = "text/markdown"
    subject   = "linkflyt: oppsummeringen eller en rapport ble ikke laget"
    content   = <<-EOT
      Den daglige oppsummeringen eller kommunerapporten feilet da den skulle kjøres.
      Hva du gjør: Vent til neste forsøk (Cloud Scheduler prøver tre ganger). Kommer det ny melding, be den som drifter
      linkflyt kjøre jobben på nytt: gcloud scheduler jobs run ${var.prefix}-digest (eller -report-q / -report-y).
      En rapport kan også lages for hånd i konsollet når feilen er rettet.
    EOT
  }
}

resource "google_monitoring_alert_policy" "digest_not_run" {
  project               = var.project_id
  display_name          = "linkflyt ${var.prefix}: no digest in 25 hours"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = local.alert_channels
  conditions {
    display_name = "digest has not run by 08:00"
    condition_threshold {
      # a rolling 25 h window (the longest an alert may align over): the 07:00 digest keeps it
      # at 1 until 08:00 the next day
      filter                  = "metric.type=\"${local.user_metric}/${google_logging_metric.scheduled_runs.name}\" AND resource.type=\"cloud_scheduler_job\" AND metric.label.job=\"${var.prefix}-digest\""
      comparison              = "COMPARISON_LT"
      threshold_value         = 1
      duration                = "0s"
      evaluation_missing_data = "EVALUATION_MISSING_DATA_ACTIVE"
      aggregations {
        alignment_period     = "90000s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    subject   = "linkflyt: ingen oppsummering i dag"
    content   = <<-EOT
      Den daglige oppsummeringen klokka 07 er ikke sendt.
      Hva du gjør: Åpne konsollet og se over ventende forsamtaler og forslag selv i dag.
      Be den som drifter linkflyt sjekke at jobben ${var.prefix}-digest ikke er satt på pause, og kjøre den:
      gcloud scheduler jobs run ${var.prefix}-digest --location ${var.region}.
      Rett etter første utrulling kan denne meldingen komme én gang før første oppsummering; den lukker seg selv.
    EOT
  }
}

resource "google_monitoring_alert_policy" "sweep_not_run" {
  project               = var.project_id
  display_name          = "linkflyt ${var.prefix}: sweep has not run for an hour"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = local.alert_channels
  conditions {
    display_name = "no successful sweep in an hour"
    condition_threshold {
      filter                  = "metric.type=\"${local.user_metric}/${google_logging_metric.scheduled_runs.name}\" AND resource.type=\"cloud_scheduler_job\" AND metric.label.job=\"${var.prefix}-sweep\""
      comparison              = "COMPARISON_LT"
      threshold_value         = 1
      duration                = "0s"
      evaluation_missing_data = "EVALUATION_MISSING_DATA_ACTIVE"
      aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    subject   = "linkflyt: opprydding og omkjøring står stille"
    content   = <<-EOT
      Jobben som hvert tiende minutt sender videre arbeid som ble liggende, har ikke gått på en time.
      Ingenting er tapt, men svar og invitasjoner kan bli forsinket.
      Hva du gjør: Be den som drifter linkflyt se på jobben ${var.prefix}-sweep i Cloud Scheduler (pause? feil i loggen?).
    EOT
  }
}

resource "google_monitoring_alert_policy" "scheduler_job_paused" {
  project               = var.project_id
  display_name          = "linkflyt ${var.prefix}: a scheduled job was paused or deleted"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = local.alert_channels
  conditions {
    display_name = "PauseJob or DeleteJob"
    condition_matched_log {
      # quarterly reports run too seldom for an absence alert: catch what stops them instead
      filter = "resource.type=\"cloud_scheduler_job\" AND resource.labels.job_id=~\"^${var.prefix}-\" AND protoPayload.methodName=~\"CloudScheduler.(PauseJob|DeleteJob)$\""
    }
  }
  alert_strategy {
    notification_rate_limit {
      period = "3600s"
    }
    auto_close = "86400s"
  }
  documentation {
    mime_type = "text/markdown"
    subject   = "linkflyt: en fast jobb er stoppet"
    content   = <<-EOT
      Noen har satt en av linkflyts faste jobber (oppsummering, kvartals- eller årsrapport, opprydding) på pause eller slettet den.
      Hva du gjør: Var det ikke avtalt, be den som drifter linkflyt starte den igjen
      (gcloud scheduler jobs resume <jobb> --location ${var.region}) eller kjøre terraform apply.
    EOT
  }
}

resource "google_monitoring_alert_policy" "intake_5xx" {
  project               = var.project_id
  display_name          = "linkflyt ${var.prefix}: the web form answers with errors (5xx)"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.alert_channels
  conditions {
    display_name = "intake 5xx responses"
    condition_threshold {
      filter          = "metric.type=\"run.googleapis.com/request_count\" AND resource.type=\"cloud_run_revision\" AND resource.label.service_name=\"${var.prefix}-intake\" AND metric.label.response_code_class=\"5xx\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.intake_5xx_per_5_minutes
      duration        = "0s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    subject   = "linkflyt: påmeldingsskjemaet svarer med feil"
    content   = <<-EOT
      Påmeldingsskjemaet (eller lenkene i e-postene) svarte med serverfeil flere ganger på fem minutter. Folk kan ikke melde seg på nå.
      Hva du gjør: Legg en kort melding på senterets nettside med telefonnummeret, og si fra til den som drifter linkflyt
      (feilene står i loggen til ${var.prefix}-intake). Påmeldinger som ble tatt imot før feilen, er trygge.
    EOT
  }
}

resource "google_monitoring_alert_policy" "intake_429" {
  project               = var.project_id
  display_name          = "linkflyt ${var.prefix}: many sign-ups refused as too frequent (429)"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = local.alert_channels
  conditions {
    display_name = "intake 429 responses"
    condition_threshold {
      filter          = "metric.type=\"run.googleapis.com/request_count\" AND resource.type=\"cloud_run_revision\" AND resource.label.service_name=\"${var.prefix}-intake\" AND metric.label.response_code=\"429\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.intake_429_per_hour
      duration        = "0s"
      aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    subject   = "linkflyt: mange påmeldinger avvist som for hyppige"
    content   = <<-EOT
      Skjemaet har avvist mange innsendinger fordi de kom for tett fra samme sted.
      Det er enten noen som sender automatisk (da gjør grensen jobben sin), eller mange ekte påmeldinger fra samme nett,
      for eksempel et NAV-kontor eller et kurs som melder på sammen.
      Hva du gjør: Hører du om folk som ikke kom gjennom, be den som drifter linkflyt heve rate_limit_per_hour.
    EOT
  }
}

resource "google_monitoring_uptime_check_config" "form" {
  project          = var.project_id
  display_name     = "linkflyt ${var.prefix}: web form"
  timeout          = "10s"
  period           = "300s"
  selected_regions = ["EUROPE", "USA_VIRGINIA", "ASIA_PACIFIC"]
  http_check {
    path           = local.form_path
    port           = 443
    use_ssl        = true
    validate_ssl   = true
    request_method = "GET"
    accepted_response_status_codes {
      status_class = "STATUS_CLASS_2XX"
    }
  }
  monitored_resource {
    type = "uptime_url"
    labels = {
      project_id = var.project_id
      host       = local.form_host
    }
  }
  content_matchers {
    content = "<form"
    matcher = "CONTAINS_STRING"
  }
  depends_on = [google_project_service.api]
}

resource "google_monitoring_alert_policy" "form_down" {
  project               = var.project_id
  display_name          = "linkflyt ${var.prefix}: the web form cannot be reached"
  combiner              = "OR"
  severity              = "CRITICAL"
  notification_channels = local.alert_channels
  conditions {
    display_name = "uptime check fails from two or more regions"
    condition_threshold {
      filter          = "metric.type=\"monitoring.googleapis.com/uptime_check/check_passed\" AND resource.type=\"uptime_url\" AND metric.label.check_id=\"${google_monitoring_uptime_check_config.form.uptime_check_id}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 1
      duration        = "600s"
      aggregations {
        alignment_period     = "600s"
        per_series_aligner   = "ALIGN_NEXT_OLDER"
        cross_series_reducer = "REDUCE_COUNT_FALSE"
        group_by_fields      = ["resource.label.*"]
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    subject   = "linkflyt: påmeldingsskjemaet er nede"
    content   = <<-EOT
      Påmeldingsskjemaet har ikke svart fra flere steder i verden på ti minutter.
      Hva du gjør: Prøv selv å åpne skjemaet. Er det nede, legg telefonnummeret på senterets nettside og si fra til den som
      drifter linkflyt. Svarer det for deg, kan det være en feil hos Google; meldingen lukker seg når skjemaet svarer igjen.
    EOT
  }
}

resource "google_monitoring_alert_policy" "sms_spend" {
  project               = var.project_id
  display_name          = "linkflyt ${var.prefix}: more SMS in a day than expected (SNS bill)"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = local.alert_channels
  conditions {
    display_name = "SMS sent in 24 hours"
    condition_threshold {
      filter          = "metric.type=\"${local.user_metric}/${google_logging_metric.messages_sent.name}\" AND resource.type=\"cloud_run_revision\" AND metric.label.channel=\"sms\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.sms_per_day_alert
      duration        = "0s"
      aggregations {
        alignment_period     = "86400s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    subject   = "linkflyt: uvanlig mange SMS"
    content   = <<-EOT
      linkflyt har sendt flere SMS det siste døgnet enn senteret pleier (grensen er ${var.sms_per_day_alert}). Hver SMS koster penger hos Amazon SNS.
      Hva du gjør: Se i konsollet om det nettopp ble sendt ut mange invitasjoner (da er alt i orden).
      Hvis ikke, be den som drifter linkflyt slå av SMS (sms_backend = none) til årsaken er funnet, og se på SNS-regningen i AWS.
    EOT
  }
}

resource "google_monitoring_alert_policy" "email_volume" {
  project               = var.project_id
  display_name          = "linkflyt ${var.prefix}: more email in a day than expected (SES)"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = local.alert_channels
  conditions {
    display_name = "emails sent in 24 hours"
    condition_threshold {
      filter          = "metric.type=\"${local.user_metric}/${google_logging_metric.messages_sent.name}\" AND resource.type=\"cloud_run_revision\" AND metric.label.channel=\"email\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.emails_per_day_alert
      duration        = "0s"
      aggregations {
        alignment_period     = "86400s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    subject   = "linkflyt: uvanlig mange e-poster"
    content   = <<-EOT
      linkflyt har sendt flere e-poster det siste døgnet enn grensen på ${var.emails_per_day_alert}.
      Hva du gjør: Se i konsollet om det nettopp ble sendt ut mange invitasjoner. Hvis ikke, si fra til den som drifter linkflyt:
      mange like e-poster kan gi senteret dårlig rykte hos e-postleverandørene.
    EOT
  }
}

# ------------------------------------------------------------------ budget

resource "google_billing_budget" "monthly" {
  billing_account = var.billing_account
  display_name    = "linkflyt ${var.prefix}"
  budget_filter {
    projects        = ["projects/${data.google_project.this.number}"]
    calendar_period = "MONTH"
  }
  amount {
    specified_amount {
      currency_code = var.budget_currency
      units         = tostring(var.monthly_budget)
    }
  }
  threshold_rules {
    threshold_percent = 0.5
  }
  threshold_rules {
    threshold_percent = 0.9
  }
  threshold_rules {
    threshold_percent = 1.0
    spend_basis       = "FORECASTED_SPEND"
  }
  all_updates_rule {
    # a budget takes at most five channels
    monitoring_notification_channels = slice(local.alert_channels, 0, min(5, length(local.alert_channels)))
    disable_default_iam_recipients   = false
  }
  depends_on = [google_project_service.api]
}
