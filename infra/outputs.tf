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

output "sns_sms_policy" {
  description = "When sms_backend is sns: the IAM policy to attach to the AWS user whose keys are in the <prefix>-ses-access-key-id/-ses-secret-access-key secrets. It allows publishing SMS to phone numbers (a direct publish has no resource ARN, hence \"*\") and denies publishing to any topic."
  value = var.sms_backend == "sns" ? jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "SmsToPhoneNumbers", Effect = "Allow", Action = "sns:Publish", Resource = "*" },
      { Sid = "NoTopics", Effect = "Deny", Action = "sns:Publish", Resource = "arn:aws:sns:*:*:*" },
    ]
  }) : null
}
