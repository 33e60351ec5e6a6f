variable "alert_emails" {
  description = "Where alerts go: the coordinators' addresses (the centre file's [[coordinators]]; README § Runbook: a coordinator leaves)."
  type        = list(string)
  validation {
    condition     = length(var.alert_emails) > 0 && alltrue([for e in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alert_emails must list at least one email address."
  }
}

variable "billing_account" {
  description = "The billing account that pays for the project (XXXXXX-XXXXXX-XXXXXX); the monthly budget is set on it."
  type        = string
  validation {
    condition     = can(regex("^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$", var.billing_account))
    error_message = "billing_account must look like 0X0X0X-0X0X0X-0X0X0X."
  }
}

variable "budget_currency" {
  description = "Currency of the billing account (a budget must use the account's own currency)."
  type        = string
  default     = "NOK"
  validation {
    condition     = can(regex("^[A-Z]{3}$", var.budget_currency))
    error_message = "budget_currency must be a three-letter ISO 4217 code."
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

variable "emails_per_day_alert" {
  description = "Emails sent in 24 hours above which the coordinators are alerted (a loop, or SES trouble ahead)."
  type        = number
  default     = 300
  validation {
    condition     = var.emails_per_day_alert >= 1
    error_message = "emails_per_day_alert must be at least 1."
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

variable "intake_429_per_hour" {
  description = "Form posts refused as too frequent (429) in an hour above which the coordinators are alerted."
  type        = number
  default     = 20
  validation {
    condition     = var.intake_429_per_hour >= 0
    error_message = "intake_429_per_hour must not be negative."
  }
}

variable "intake_5xx_per_5_minutes" {
  description = "Server errors (5xx) of the public intake function in five minutes above which the coordinators are alerted."
  type        = number
  default     = 2
  validation {
    condition     = var.intake_5xx_per_5_minutes >= 0
    error_message = "intake_5xx_per_5_minutes must not be negative."
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

variable "monthly_budget" {
  description = "Monthly budget of the project in budget_currency; the coordinators hear at 50 % and 90 %, and when the forecast passes 100 %."
  type        = number
  default     = 200
  validation {
    condition     = var.monthly_budget > 0
    error_message = "monthly_budget must be positive."
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

variable "sms_per_day_alert" {
  description = "SMS sent in 24 hours above which the coordinators are alerted (Amazon SNS bills per segment; each message is at most two)."
  type        = number
  default     = 40
  validation {
    condition     = var.sms_per_day_alert >= 1
    error_message = "sms_per_day_alert must be at least 1."
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
