output "service_account" {
  description = "Email of the function's own service account."
  value       = google_service_account.this.email
}

output "url" {
  description = "HTTPS URL of the function."
  value       = google_cloudfunctions2_function.this.service_config[0].uri
}
