variable "abuse_alert_emails" {
  description = "Who gets the alerts on the public function's refusals and failures and the budget's notices (issue 18): the coordinators' or the operator's addresses."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for e in var.abuse_alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", e))])
    error_message = "abuse_alert_emails must be email addresses."
  }
}

variable "billing_account" {
  description = "Billing account id (XXXXXX-XXXXXX-XXXXXX) for the monthly budget alert; empty: no budget (issue 18)."
  type        = string
  default     = ""
  validation {
    condition     = var.billing_account == "" || can(regex("^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$", var.billing_account))
    error_message = "billing_account must look like 012345-6789AB-CDEF01, or be empty."
  }
}

variable "centre_config_file" {
  description = "Path, inside the deployed source, of the centre configuration TOML (config/centres/<centre>.toml)."
  type        = string
  default     = "config/centres/link-bergen.toml"
  validation {
    condition     = can(regex("^config/centres/[a-z0-9-]+\\.toml$", var.centre_config_file))
    error_message = "centre_config_file must be config/centres/<name>.toml."
  }
}

variable "firestore_location" {
  description = "Firestore location; must be in the EEA (special-category personal data, GDPR art. 9)."
  type        = string
  default     = "eur3"
  validation {
    condition     = contains(["eur3", "europe-north1", "europe-west1", "europe-west3", "europe-west4", "europe-north2"], var.firestore_location)
    error_message = "firestore_location must be an EEA location (eur3 or a European region)."
  }
}

variable "intake_alert_per_minute" {
  description = "429 answers per second of the public function, sustained 5 minutes, that raise an alert (5xx: a tenth of it)."
  type        = number
  default     = 1
  validation {
    condition     = var.intake_alert_per_minute > 0
    error_message = "intake_alert_per_minute must be positive."
  }
}

variable "mail_backend" {
  description = "Where email goes: smtp (the centre's own mailbox; password in Secret Manager), ses (Amazon SES; keys in Secret Manager) or outbox (testing only: files on the instance)."
  type        = string
  default     = "ses"
  validation {
    condition     = contains(["ses", "smtp", "outbox"], var.mail_backend)
    error_message = "mail_backend must be ses, smtp or outbox."
  }
}

variable "monthly_budget_usd" {
  description = "Monthly spend (USD) the budget alert is measured against (issue 18; README: well under 5 at one centre's volume)."
  type        = number
  default     = 20
  validation {
    condition     = var.monthly_budget_usd >= 1
    error_message = "monthly_budget_usd must be at least 1."
  }
}

variable "prefix" {
  description = "Short name prefixed to every resource (one deployment per centre), e.g. linkflyt-bergen."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,20}$", var.prefix))
    error_message = "prefix must be 3-21 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "project_id" {
  description = "Google Cloud project that hosts the deployment."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a valid Google Cloud project id."
  }
}

variable "rate_limit_per_hour" {
  description = "Form submissions one client may make to intake per hour."
  type        = number
  default     = 20
  validation {
    condition     = var.rate_limit_per_hour >= 1 && var.rate_limit_per_hour <= 1000
    error_message = "rate_limit_per_hour must be between 1 and 1000."
  }
}

variable "region" {
  description = "Region of the functions, queues and scheduler jobs."
  type        = string
  default     = "europe-north1"
  validation {
    condition     = startswith(var.region, "europe-")
    error_message = "region must be a European region."
  }
}

variable "ses_region" {
  description = "AWS region of Amazon SES."
  type        = string
  default     = "eu-north-1"
  validation {
    condition     = startswith(var.ses_region, "eu-")
    error_message = "ses_region must be an EU region."
  }
}

variable "sms_backend" {
  description = "SMS to people who gave only a phone number: sns (Amazon SNS; the AWS keys in Secret Manager need the policy in the sns_sms_policy output) or none (the coordinator is asked to phone them)."
  type        = string
  default     = "none"
  validation {
    condition     = contains(["sns", "none"], var.sms_backend)
    error_message = "sms_backend must be sns or none."
  }
}

variable "sms_link_base" {
  description = "The shortest public address that serves /actions (at most 31 characters keeps every SMS within two segments); empty: the links base URL."
  type        = string
  default     = ""
  validation {
    condition     = var.sms_link_base == "" || (startswith(var.sms_link_base, "https://") && length(var.sms_link_base) <= 31)
    error_message = "sms_link_base must be an https:// address of at most 31 characters."
  }
}

variable "sms_sender_id" {
  description = "Alphanumeric sender shown on the phone (at most 11 letters and digits), e.g. LINKBergen."
  type        = string
  default     = "LINK"
  validation {
    condition     = can(regex("^[A-Za-z0-9]{0,11}$", var.sms_sender_id))
    error_message = "sms_sender_id must be at most 11 letters and digits."
  }
}

variable "smtp_host" {
  description = "SMTP server of the centre's mailbox when mail_backend is smtp, e.g. smtp.office365.com or smtp.gmail.com."
  type        = string
  default     = ""
}

variable "smtp_port" {
  description = "SMTP port: 587 with starttls, 465 with ssl."
  type        = number
  default     = 587
}

variable "smtp_security" {
  description = "starttls (port 587), ssl (implicit TLS, port 465) or none (only inside a trusted network)."
  type        = string
  default     = "starttls"
  validation {
    condition     = contains(["starttls", "ssl", "none"], var.smtp_security)
    error_message = "smtp_security must be starttls, ssl or none."
  }
}

variable "smtp_username" {
  description = "SMTP login (usually the sending mailbox's address); its password goes in the <prefix>-smtp-password secret."
  type        = string
  default     = ""
}

variable "smtp_utf8" {
  description = "The centre's SMTP server offers SMTPUTF8 (then the form accepts addresses like sølvi@…; SES never does). Issue 18."
  type        = bool
  default     = false
}

variable "sns_region" {
  description = "AWS region Amazon SNS sends SMS from."
  type        = string
  default     = "eu-north-1"
  validation {
    condition     = startswith(var.sns_region, "eu-")
    error_message = "sns_region must be an EU region."
  }
}

variable "source_dir" {
  description = "Directory holding the function bundle built by infra/bundle.py (one sub-directory per function)."
  type        = string
  default     = "build"
}
