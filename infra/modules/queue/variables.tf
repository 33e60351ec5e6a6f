variable "enqueuers" {
  description = "Service account emails allowed to create tasks on this queue (and only this queue)."
  type        = list(string)
  validation {
    condition     = length(var.enqueuers) > 0
    error_message = "a queue nobody enqueues to is dead weight: list at least one enqueuer."
  }
}

variable "max_attempts" {
  description = "Delivery attempts before Cloud Tasks drops a task (our handlers dead-letter permanent failures themselves)."
  type        = number
}

variable "max_backoff" {
  description = "Longest wait between attempts, e.g. 3600s."
  type        = string
}

variable "max_concurrent_dispatches" {
  description = "Tasks in flight at once."
  type        = number
}

variable "max_dispatches_per_second" {
  description = "Dispatch rate limit."
  type        = number
}

variable "min_backoff" {
  description = "First wait between attempts, e.g. 5s."
  type        = string
}

variable "name" {
  description = "Queue name (prefix-step; workflows/platform/chain.py names the steps)."
  type        = string
}

variable "project_id" {
  description = "Project of the queue."
  type        = string
}

variable "region" {
  description = "Region of the queue."
  type        = string
}
