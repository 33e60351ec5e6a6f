output "form_url" {
  description = "The public web form (embed it in the centre's website or link to it)."
  value       = module.function["intake"].url
}

output "links_base_url" {
  description = "Base of the signed links in emails (served by intake under /actions)."
  value       = local.public_base_url
}

output "queues" {
  description = "The Cloud Tasks queues, one per hop."
  value       = [for q in module.queue : q.name]
}
