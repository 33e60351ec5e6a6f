# linkflyt: one centre's deployment. See README.md § Deployment.

locals {
  # The public function serves the form, every email link (/actions, /join, /me) and the console:
  # sized for all at once (it was 5 instances of one request each; issue 18). Requests are short
  # and mostly wait on Firestore, so one instance takes several at a time (a whole CPU for that).
  intake_sizing = { max_instances = 30, concurrency = 8, cpu = "1" }

  apis = [
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudscheduler.googleapis.com",
    "cloudtasks.googleapis.com",
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "run.googleapis.com",
    "artifactregistry.googleapis.com",
    "secretmanager.googleapis.com",
    # issue 19: alerts, log-based metrics, uptime check and the billing budget
    "monitoring.googleapis.com",
    "logging.googleapis.com",
    "billingbudgets.googleapis.com",
    "storage.googleapis.com",
  ]

  functions_base_url = "https://${var.region}-${var.project_id}.cloudfunctions.net"
  # Task and scheduler calls go to each function's deterministic run.app URL, and the OIDC token's
  # audience is that same URL (README § Deployment: internal-only ingress admits Cloud Tasks and
  # Cloud Scheduler of the same project at run.app; Cloud Run checks the audience against it).
  task_url_template = "https://{name}-${data.google_project.this.number}.${var.region}.run.app"
  run_url           = { for name in keys(local.functions) : name => replace(local.task_url_template, "{name}", "${var.prefix}-${name}") }
  # intake is the only public function; it also serves the signed email links under /actions.
  public_base_url = "${local.functions_base_url}/${var.prefix}-intake"

  common_env = {
    GOOGLE_CLOUD_PROJECT  = var.project_id
    CENTRE_CONFIG         = var.centre_config_file
    PUBLIC_BASE_URL       = local.public_base_url
    FUNCTIONS_BASE_URL    = local.functions_base_url
    TASK_URL_TEMPLATE     = local.task_url_template
    FUNCTION_NAME_PREFIX  = "${var.prefix}-"
    TASKS_LOCATION        = var.region
    QUEUE_PREFIX          = var.prefix
    TASKS_SERVICE_ACCOUNT = google_service_account.tasks_invoker.email
    RATE_LIMIT_PER_HOUR   = tostring(var.rate_limit_per_hour)
    TRUST_FORWARDED_FOR   = "true"
    MAIL_BACKEND          = var.mail_backend
    SES_REGION            = var.ses_region
    SMTP_HOST             = var.smtp_host
    SMTP_PORT             = tostring(var.smtp_port)
    SMTP_USERNAME         = var.smtp_username
    SMTP_SECURITY         = var.smtp_security
    # SMS to people who gave only a phone number (issue 11)
    SMS_BACKEND     = var.sms_backend
    SMS_SENDER_ID   = var.sms_sender_id
    SMS_LINK_BASE   = var.sms_link_base
    SNS_REGION      = var.sns_region
    DISPATCH_INLINE = "true"
    # console sign-in links per coordinator address and hour (issue 9)
    CONSOLE_LINKS_PER_HOUR = "5"
    # issue 18: per address and client above; this many per address from all clients together
    CONSOLE_ADDRESS_LINKS_PER_HOUR = "20"
    # issue 18: the form takes "sølvi@…" only when the centre's SMTP server offers SMTPUTF8
    SMTP_UTF8 = tostring(var.smtp_utf8)
    # issue 18: failed link checks per client and hour at /actions before 429
    FAILED_LINKS_PER_HOUR = "20"
    # issue 18: receipts (email and SMS) the centre sends per hour; the coordinators hear past it
    RECEIPTS_PER_HOUR = "60"
  }

  secret_env = {
    LINK_SIGNING_KEY      = google_secret_manager_secret.secret["link-signing-key"].secret_id
    RATE_LIMIT_SECRET     = google_secret_manager_secret.secret["rate-limit-secret"].secret_id
    SESSION_SIGNING_KEY   = google_secret_manager_secret.secret["session-signing-key"].secret_id
    JITSI_APP_SECRET      = google_secret_manager_secret.secret["jitsi-app-secret"].secret_id
    AWS_ACCESS_KEY_ID     = google_secret_manager_secret.secret["ses-access-key-id"].secret_id
    AWS_SECRET_ACCESS_KEY = google_secret_manager_secret.secret["ses-secret-access-key"].secret_id
    SMTP_PASSWORD         = google_secret_manager_secret.secret["smtp-password"].secret_id
  }
  # The mail keys of the backends not in use are given to no function (a secret without a version
  # would stop the deployment). The AWS keys serve SES and SNS alike.
  unused_mail_secrets = concat(
    var.mail_backend == "smtp" ? [] : ["SMTP_PASSWORD"],
    var.mail_backend == "ses" || var.sms_backend == "sns" ? [] : ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
  )

  tasks_invoker     = "serviceAccount:${google_service_account.tasks_invoker.email}"
  scheduler_invoker = "serviceAccount:${google_service_account.scheduler_invoker.email}"

  # function -> who may invoke it, which queues it feeds (enqueue rights), memory
  functions = {
    intake   = { invokers = ["allUsers"], feeds = ["assemble", "schedule", "notify"], memory = "512M", public = true, secrets = ["LINK_SIGNING_KEY", "RATE_LIMIT_SECRET", "SESSION_SIGNING_KEY", "JITSI_APP_SECRET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SMTP_PASSWORD"] }
    assemble = { invokers = [local.tasks_invoker], feeds = ["schedule", "notify"], memory = "512M", public = false, secrets = [] }
    schedule = { invokers = [local.tasks_invoker], feeds = ["schedule", "notify"], memory = "256M", public = false, secrets = [] }
    notify   = { invokers = [local.tasks_invoker], feeds = [], memory = "256M", public = false, secrets = ["LINK_SIGNING_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SMTP_PASSWORD"] }
    actions  = { invokers = [], feeds = ["assemble", "schedule", "notify"], memory = "256M", public = false, secrets = ["LINK_SIGNING_KEY"] }
    digest   = { invokers = [local.scheduler_invoker], feeds = [], memory = "256M", public = false, secrets = ["LINK_SIGNING_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SMTP_PASSWORD"] }
    report   = { invokers = [local.scheduler_invoker], feeds = [], memory = "1G", public = false, secrets = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SMTP_PASSWORD"] }
    sweep    = { invokers = [local.scheduler_invoker], feeds = ["assemble", "schedule", "notify"], memory = "256M", public = false, secrets = [] }
  }

  # One queue per hop. Retry and rate chosen per hop:
  # - assemble: re-matches the whole pool; serialise it lightly (few concurrent runs contend on the
  #   same people), retry fast because a lost race is cheap to redo.
  # - schedule: offers and deadlines; retries long enough to ride out a Firestore blip, and
  #   deadline tasks carry schedule_time so they fire at the deadline, not by polling.
  # - notify: email; SES sends ~14/s in a default account, back off for an hour on provider
  #   trouble; mail is lease-guarded so a retry never sends twice.
  queues = {
    assemble = { max_attempts = 20, min_backoff = "2s", max_backoff = "300s", concurrent = 2, per_second = 5 }
    schedule = { max_attempts = 30, min_backoff = "5s", max_backoff = "1800s", concurrent = 5, per_second = 10 }
    notify   = { max_attempts = 50, min_backoff = "10s", max_backoff = "3600s", concurrent = 10, per_second = 10 }
  }

  scheduler_jobs = {
    digest   = { schedule = "0 7 * * *", target = "digest", body = {} }
    report-q = { schedule = "0 6 5 1,4,7,10 *", target = "report", body = { period = "previous-quarter" } }
    report-y = { schedule = "0 6 15 1 *", target = "report", body = { period = "previous-year" } }
    sweep    = { schedule = "*/10 * * * *", target = "sweep", body = {} }
  }
}

data "google_project" "this" {
  project_id = var.project_id
}

resource "google_project_service" "api" {
  for_each           = toset(local.apis)
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

# ------------------------------------------------------------------ Firestore

resource "google_firestore_database" "main" {
  project                 = var.project_id
  name                    = "(default)"
  location_id             = var.firestore_location
  type                    = "FIRESTORE_NATIVE"
  delete_protection_state = "DELETE_PROTECTION_ENABLED"
  # Issue 19: every version of the last 7 days can be read and restored (README § Backups).
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  depends_on                        = [google_project_service.api]
}

# Composite indexes for the queries that filter on one field and order by another.
resource "google_firestore_index" "inquiries_status_queued" {
  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = "inquiries"
  fields {
    field_path = "status"
    order      = "ASCENDING"
  }
  fields {
    field_path = "queued_at"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "outbox_status_due" {
  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = "outbox"
  fields {
    field_path = "status"
    order      = "ASCENDING"
  }
  fields {
    field_path = "due_at"
    order      = "ASCENDING"
  }
}

# Retention: Firestore deletes a document after its expire_at (README § Retention). Every collection
# whose documents carry expire_at, as the data registry lists them (shared/registry.py; issue 19
# found audit/ and the console's logins and sessions setting expire_at without a TTL policy here).
resource "google_firestore_field" "ttl" {
  for_each   = toset(["people", "inquiries", "tokens", "ratelimits", "submissions", "outbox", "mail", "deadletters", "surveys", "groups", "facilitator_bookings", "audit", "console_logins", "console_sessions", "group_messages", "join_links"])
  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = each.value
  field      = "expire_at"
  ttl_config {}
  index_config {}
}

# ------------------------------------------------------------------ secrets

resource "google_secret_manager_secret" "secret" {
  for_each  = toset(["link-signing-key", "rate-limit-secret", "session-signing-key", "jitsi-app-secret", "ses-access-key-id", "ses-secret-access-key", "smtp-password"])
  project   = var.project_id
  secret_id = "${var.prefix}-${each.value}"
  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }
  depends_on = [google_project_service.api]
}

# ------------------------------------------------------------------ identities that call functions

resource "google_service_account" "tasks_invoker" {
  project      = var.project_id
  account_id   = "${var.prefix}-tasks"
  display_name = "linkflyt: Cloud Tasks calls task functions with this identity (OIDC)"
}

resource "google_service_account" "scheduler_invoker" {
  project      = var.project_id
  account_id   = "${var.prefix}-scheduler"
  display_name = "linkflyt: Cloud Scheduler calls digest, report and sweep with this identity (OIDC)"
}

# Functions that create tasks attach the tasks identity to them: they may act as it, nothing more.
resource "google_service_account_iam_member" "act_as_tasks_invoker" {
  for_each           = { for name, f in local.functions : name => f if length(f.feeds) > 0 }
  service_account_id = google_service_account.tasks_invoker.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${module.function[each.key].service_account}"
}

# ------------------------------------------------------------------ source and functions

resource "google_storage_bucket" "source" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.prefix}-source"
  location                    = upper(var.region)
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  versioning {
    enabled = true
  }
  lifecycle_rule {
    condition {
      age = 90
    }
    action {
      type = "Delete"
    }
  }
  #checkov:skip=CKV_GCP_62:access logs of a bucket holding only our own public source code add cost, not insight
}

module "function" {
  source      = "./modules/function"
  for_each    = local.functions
  name        = "${var.prefix}-${each.key}"
  entry_point = each.key
  project_id  = var.project_id
  region      = var.region
  bucket      = google_storage_bucket.source.name
  source_dir  = "${path.module}/${var.source_dir}/${each.key}"
  memory      = each.value.memory
  # issue 18: the public function is sized for the form, the links and the console together
  max_instances = each.key == "intake" ? local.intake_sizing.max_instances : 5
  concurrency   = each.key == "intake" ? local.intake_sizing.concurrency : 1
  cpu           = each.key == "intake" ? local.intake_sizing.cpu : null
  environment   = local.common_env
  # only the secrets this function reads (issue 12; shared/config.py SECRETS says the same)
  secrets         = { for k, v in local.secret_env : k => v if contains(each.value.secrets, k) && !contains(local.unused_mail_secrets, k) }
  invoker_members = each.value.invokers
  ingress         = each.value.public ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"
  roles           = ["roles/datastore.user", "roles/logging.logWriter"]
  depends_on      = [google_project_service.api, google_firestore_database.main]
}

module "queue" {
  source                    = "./modules/queue"
  for_each                  = local.queues
  name                      = "${var.prefix}-${each.key}"
  project_id                = var.project_id
  region                    = var.region
  max_attempts              = each.value.max_attempts
  min_backoff               = each.value.min_backoff
  max_backoff               = each.value.max_backoff
  max_concurrent_dispatches = each.value.concurrent
  max_dispatches_per_second = each.value.per_second
  enqueuers                 = [for name, f in local.functions : module.function[name].service_account if contains(f.feeds, each.key)]
  depends_on                = [google_project_service.api]
}

# ------------------------------------------------------------------ scheduler

resource "google_cloud_scheduler_job" "job" {
  for_each         = local.scheduler_jobs
  project          = var.project_id
  region           = var.region
  name             = "${var.prefix}-${each.key}"
  schedule         = each.value.schedule
  time_zone        = "Europe/Oslo"
  attempt_deadline = "320s"

  retry_config {
    retry_count = 3
  }

  http_target {
    http_method = "POST"
    uri         = local.run_url[each.value.target]
    body        = base64encode(jsonencode(each.value.body))
    headers = {
      "Content-Type" = "application/json"
    }
    oidc_token {
      service_account_email = google_service_account.scheduler_invoker.email
      audience              = local.run_url[each.value.target]
    }
  }

  depends_on = [google_project_service.api]
}

# ------------------------------------------------------------------ logs

# The public function's request logs hold each URL (signed links carry ?t=<token>) and the client's
# address: keep them out of stored logs (issue 12). Application logs (ids only) are kept.
resource "google_logging_project_exclusion" "public_request_urls" {
  project     = var.project_id
  name        = "${var.prefix}-public-request-urls"
  description = "linkflyt: request logs of the public intake function (URLs with tokens, client IPs)"
  filter      = "logName=\"projects/${var.project_id}/logs/run.googleapis.com%2Frequests\" AND resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"${var.prefix}-intake\""
}
