variable "region" {
  description = "AWS region of the whole stack."
  type        = string
}

variable "domain_name" {
  description = "Custom domain of the API, for example files.example.com. The default execute-api endpoint is disabled, so this is the only way in."
  type        = string
}

variable "certificate_arn" {
  description = "ARN of an issued ACM certificate for domain_name, in the same region as the stack."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 hosted zone that receives an alias record for domain_name. Leave empty to point your DNS at the output api_regional_domain_name yourself."
  type        = string
  default     = ""
}

variable "alarm_email" {
  description = "E-mail address that receives the health alarms (confirm the subscription mail SNS sends)."
  type        = string
}

variable "webhook_url" {
  description = "HTTPS endpoint of the remote service that receives the change events (docs/change-events.md). The dispatch-events function POSTs to it with the API key of the secret api_key_secret_arn."
  type        = string

  validation {
    condition     = can(regex("^https://[^/?#@[:space:]]+(/[^[:space:]]*)?$", var.webhook_url))
    error_message = "webhook_url must be an https:// URL (the API key is never sent over plain HTTP)."
  }
}

variable "functions_dir" {
  description = "Folder holding the function packages <function>.zip, relative to the repository root."
  type        = string
  default     = "adapters-lambda/target/functions"
}

variable "vpc_cidr" {
  description = "Address range of the VPC; the private, egress and public subnets take /20 blocks of it (indexes 0 to 4)."
  type        = string
  default     = "10.40.0.0/16"
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.small"
}

variable "db_multi_az" {
  description = "Standby replica in a second zone. Keep true in production; false halves the cost of a trial stack."
  type        = bool
  default     = true
}

variable "db_max_connections" {
  description = "PostgreSQL max_connections. The reserved concurrency of the functions that hold a database connection is sized to it (docs/adr/0003-database-connections.md)."
  type        = number
  default     = 100
}

variable "db_password_version" {
  description = "Version of the runtime database role's password. Increase it to rotate the password, then invoke the migrate function."
  type        = number
  default     = 1
}

variable "cache_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.micro"
}

variable "cache_password_version" {
  description = "Version of the cache user's password. Increase it to rotate the password."
  type        = number
  default     = 1
}

variable "max_file_bytes" {
  description = "Largest accepted file body in bytes (the API contract's default is 1 MiB)."
  type        = number
  default     = 1048576
}

variable "api_throttling_rate_limit" {
  description = "Steady-state requests per second the API stage accepts."
  type        = number
  default     = 50
}

variable "api_throttling_burst_limit" {
  description = "Burst of requests the API stage accepts."
  type        = number
  default     = 100
}

variable "read_only_consumer_principals" {
  description = "IAM principal ARNs allowed to assume the read-only consumer role. Empty: any principal of this account whose own policy allows it."
  type        = list(string)
  default     = []
}

variable "read_write_consumer_principals" {
  description = "IAM principal ARNs allowed to assume the read-write consumer role. Empty: any principal of this account whose own policy allows it."
  type        = list(string)
  default     = []
}

variable "log_level" {
  description = "Application log level of every function."
  type        = string
  default     = "INFO"
}
