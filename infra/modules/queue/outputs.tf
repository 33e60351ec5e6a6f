output "name" {
  description = "The queue's short name."
  value       = google_cloud_tasks_queue.this.name
}
