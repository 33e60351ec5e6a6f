variable "bucket" {
  description = "Bucket holding the source archives."
  type        = string
}

variable "concurrency" {
  description = "Requests one instance serves at once (more than 1 needs a whole CPU: cpu = \"1\")."
  type        = number
  default     = 1
  validation {
    condition     = var.concurrency >= 1 && var.concurrency <= 80
    error_message = "concurrency must be between 1 and 80."
  }
}

variable "cpu" {
  description = "CPUs per instance (e.g. \"1\"); null: what the memory size gives."
  type        = string
  default     = null
}

variable "entry_point" {
  description = "Python function in main.py that serves requests (the function's own name)."
  type        = string
}

variable "environment" {
  description = "Plain environment variables (no secrets)."
  type        = map(string)
}

variable "ingress" {
  description = "ALLOW_ALL only for the public form; task and scheduler targets take internal traffic only (Cloud Tasks and Cloud Scheduler count as internal)."
  type        = string
  default     = "ALLOW_INTERNAL_ONLY"
  validation {
    condition     = contains(["ALLOW_ALL", "ALLOW_INTERNAL_ONLY"], var.ingress)
    error_message = "ingress must be ALLOW_ALL or ALLOW_INTERNAL_ONLY."
  }
}

variable "invoker_members" {
  description = "Members granted run.invoker (e.g. the Cloud Tasks or Cloud Scheduler service account); allUsers only for intake."
  type        = list(string)
  default     = []
}

variable "max_instances" {
  description = "Upper bound on instances (cost and Firestore contention)."
  type        = number
  default     = 5
}

variable "memory" {
  description = "Memory per instance, e.g. 256M."
  type        = string
  default     = "256M"
}

variable "name" {
  description = "Function name, as in CONTRACT.md (intake, assemble, …), prefixed."
  type        = string
}

variable "project_id" {
  description = "Project of the function."
  type        = string
}

variable "region" {
  description = "Region of the function."
  type        = string
}

variable "roles" {
  description = "Project roles of the function's own service account (least privilege)."
  type        = list(string)
  default     = []
}

variable "secrets" {
  description = "Environment variable name -> Secret Manager secret id, read at start."
  type        = map(string)
  default     = {}
}

variable "source_dir" {
  description = "Directory with main.py, requirements.txt, shared/, workflows/, functions/, config/ for this function."
  type        = string
}

variable "timeout_seconds" {
  description = "Request timeout."
  type        = number
  default     = 60
}
