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
}

output "form_url" {
  description = "The public web form."
  value       = module.linkflyt.form_url
}
