resource "google_cloud_tasks_queue" "this" {
  name     = var.name
  project  = var.project_id
  location = var.region

  rate_limits {
    max_concurrent_dispatches = var.max_concurrent_dispatches
    max_dispatches_per_second = var.max_dispatches_per_second
  }

  retry_config {
    max_attempts  = var.max_attempts
    min_backoff   = var.min_backoff
    max_backoff   = var.max_backoff
    max_doublings = 5
  }

  stackdriver_logging_config {
    sampling_ratio = 1.0
  }
}

# Enqueue rights on this queue only, not on the project.
resource "google_cloud_tasks_queue_iam_member" "enqueuer" {
  for_each = toset(var.enqueuers)
  project  = var.project_id
  location = var.region
  name     = google_cloud_tasks_queue.this.name
  role     = "roles/cloudtasks.enqueuer"
  member   = "serviceAccount:${each.value}"
}
