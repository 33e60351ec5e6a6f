# LINK Bergen og omegn. Copy this folder for another centre and change the values.

terraform {
  required_version = ">= 1.6"
  # the same pin as infra/versions.tf (make infra-check checks both against the schema)
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 8.7"
    }
  }
  backend "gcs" {
    prefix = "linkflyt/link-bergen"
  }
}

provider "google" {
  project = var.project_id
  region  = "europe-north1"
  # the Billing Budgets API bills its quota to a project: this one (issue 19, README § Alerts)
  billing_project       = var.project_id
  user_project_override = true
}

variable "billing_account" {
  description = "The billing account that pays for the project (XXXXXX-XXXXXX-XXXXXX)."
  type        = string
}

variable "project_id" {
  description = "The centre's Google Cloud project."
  type        = string
}

module "linkflyt" {
  source             = "../.."
  project_id         = var.project_id
  prefix             = "lf-bergen"
  centre_config_file = "config/centres/link-bergen.toml"
  firestore_location = "eur3"
  billing_account    = var.billing_account
  # the coordinators of config/centres/link-bergen.toml (tests/unit/test_infra.py keeps them equal)
  alert_emails = ["koordinator@linkbergen.example"]
}

output "form_url" {
  description = "The public web form."
  value       = module.linkflyt.form_url
}
