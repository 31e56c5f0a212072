# ElastiCache (Valkey) as the second cache level (requirement R4): private, TLS in transit,
# encrypted at rest, and an RBAC user whose password never enters the Terraform state.

ephemeral "random_password" "cache_app" {
  length = 40
  # ElastiCache passwords may not contain @, " or /.
  override_special = "!#$%&*()-_=+[]{}<>:?"
}

ephemeral "random_password" "cache_default" {
  length           = 40
  override_special = "!#$%&*()-_=+[]{}<>:?"
}

resource "aws_elasticache_subnet_group" "main" {
  name       = local.name
  subnet_ids = [for subnet in aws_subnet.private : subnet.id]
}

# A user group must contain a user named "default"; this one is switched off.
resource "aws_elasticache_user" "default" {
  user_id              = "${local.name}-default"
  user_name            = "default"
  engine               = "valkey"
  access_string        = "off -@all"
  passwords_wo         = ephemeral.random_password.cache_default.result
  passwords_wo_version = 1
}

resource "aws_elasticache_user" "app" {
  user_id   = "${local.name}-app"
  user_name = "${local.name}-app"
  engine    = "valkey"
  # Data commands only: no administration, no scripting, nothing flagged dangerous.
  access_string        = "on ~* -@all +@read +@write +@connection -@dangerous"
  passwords_wo         = ephemeral.random_password.cache_app.result
  passwords_wo_version = var.cache_password_version
}

resource "aws_elasticache_user_group" "main" {
  user_group_id = local.name
  engine        = "valkey"
  user_ids      = [aws_elasticache_user.default.user_id, aws_elasticache_user.app.user_id]
}

resource "aws_cloudwatch_log_group" "cache_slow_log" {
  name              = "/${local.name}/cache/slow-log"
  retention_in_days = local.log_retention_days
  #checkov:skip=CKV_AWS_338:Requirement R7 fixes the retention of every log group at 7 days.
  #checkov:skip=CKV_AWS_158:Encrypted with the CloudWatch Logs service key; a customer key adds cost and key policy work for no reader this stack has.
}

resource "aws_cloudwatch_log_group" "cache_engine_log" {
  name              = "/${local.name}/cache/engine-log"
  retention_in_days = local.log_retention_days
  #checkov:skip=CKV_AWS_338:Requirement R7 fixes the retention of every log group at 7 days.
  #checkov:skip=CKV_AWS_158:Encrypted with the CloudWatch Logs service key; a customer key adds cost and key policy work for no reader this stack has.
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = local.name
  description          = "Second-level cache of file metadata and contents"
  engine               = "valkey"
  engine_version       = "8.0"
  node_type            = var.cache_node_type
  port                 = local.cache_port

  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true

  subnet_group_name  = aws_elasticache_subnet_group.main.name
  security_group_ids = [aws_security_group.cache.id]

  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  user_group_ids             = [aws_elasticache_user_group.main.user_group_id]

  auto_minor_version_upgrade = true
  maintenance_window         = "sun:04:30-sun:05:30"

  log_delivery_configuration {
    destination      = aws_cloudwatch_log_group.cache_slow_log.name
    destination_type = "cloudwatch-logs"
    log_format       = "json"
    log_type         = "slow-log"
  }

  log_delivery_configuration {
    destination      = aws_cloudwatch_log_group.cache_engine_log.name
    destination_type = "cloudwatch-logs"
    log_format       = "json"
    log_type         = "engine-log"
  }

  #checkov:skip=CKV_AWS_31:Authentication is an RBAC user group (user_group_ids), not the legacy AUTH token this check looks for.
  #checkov:skip=CKV_AWS_191:Encrypted at rest with the ElastiCache service key; no customer key in this stack.
  #checkov:skip=CKV_AWS_134:The cache is rebuilt from PostgreSQL; snapshots would only keep stale copies of file contents.
}
