# Backups (issue 19; README § Backups and restore). Point-in-time recovery is on the database itself
# (main.tf). The retentions are the data registry's (shared/registry.py BACKUPS, rendered into the
# DPIA); tests/unit/test_infra.py keeps the two equal.

locals {
  backup_retention = {
    daily  = "604800s"  # 7 days
    weekly = "4838400s" # 8 weeks
  }
}

resource "google_firestore_backup_schedule" "daily" {
  project   = var.project_id
  database  = google_firestore_database.main.name
  retention = local.backup_retention.daily
  daily_recurrence {}
}

resource "google_firestore_backup_schedule" "weekly" {
  project   = var.project_id
  database  = google_firestore_database.main.name
  retention = local.backup_retention.weekly
  weekly_recurrence {
    day = "SUNDAY"
  }
}
