terraform {
  required_version = ">= 1.6"
  required_providers {
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.4"
    }
    # The current major (issue 19), at least the release `make infra-check` checks against (8.7.0).
    google = {
      source  = "hashicorp/google"
      version = "~> 8.7"
    }
  }
}
