# RDS PostgreSQL, private and TLS-only (requirement R9). The functions connect directly, with
# reserved concurrency sized to max_connections: docs/adr/0003-database-connections.md.

resource "aws_db_subnet_group" "main" {
  name       = local.name
  subnet_ids = [for subnet in aws_subnet.private : subnet.id]
}

resource "aws_db_parameter_group" "main" {
  name   = "${local.name}-postgres17"
  family = "postgres17"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "ssl_min_protocol_version"
    value = "TLSv1.2"
  }

  parameter {
    name         = "max_connections"
    value        = var.db_max_connections
    apply_method = "pending-reboot"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = sum([for f in values(local.functions) : f.concurrency if f.in_vpc]) + local.db_connection_headroom <= var.db_max_connections
      error_message = "The reserved concurrency of the functions in the VPC, plus the headroom, exceeds db_max_connections."
    }
  }
}

# The log groups RDS writes to, created here first so that they get a retention.
resource "aws_cloudwatch_log_group" "database_postgresql" {
  name              = "/aws/rds/instance/${local.db_identifier}/postgresql"
  retention_in_days = local.log_retention_days
  #checkov:skip=CKV_AWS_338:Requirement R7 fixes the retention of every log group at 7 days.
  #checkov:skip=CKV_AWS_158:Encrypted with the CloudWatch Logs service key; a customer key adds cost and key policy work for no reader this stack has.
}

resource "aws_cloudwatch_log_group" "database_upgrade" {
  name              = "/aws/rds/instance/${local.db_identifier}/upgrade"
  retention_in_days = local.log_retention_days
  #checkov:skip=CKV_AWS_338:Requirement R7 fixes the retention of every log group at 7 days.
  #checkov:skip=CKV_AWS_158:Encrypted with the CloudWatch Logs service key; a customer key adds cost and key policy work for no reader this stack has.
}

resource "aws_db_instance" "main" {
  identifier     = local.db_identifier
  engine         = "postgres"
  engine_version = "17"
  instance_class = var.db_instance_class

  db_name  = local.db_name
  port     = local.db_port
  username = "hs_admin"
  # RDS creates the master password and keeps it in a Secrets Manager secret of its own:
  # the value never passes through Terraform.
  manage_master_user_password = true

  allocated_storage     = 20
  max_allocated_storage = 100
  storage_type          = "gp3"
  storage_encrypted     = true

  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.database.id]
  publicly_accessible    = false
  multi_az               = var.db_multi_az
  parameter_group_name   = aws_db_parameter_group.main.name
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  backup_retention_period   = 7
  backup_window             = "02:00-03:00"
  maintenance_window        = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot     = true
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "${local.db_identifier}-final"

  auto_minor_version_upgrade      = true
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]

  depends_on = [aws_cloudwatch_log_group.database_postgresql, aws_cloudwatch_log_group.database_upgrade]

  #checkov:skip=CKV_AWS_161:Password authentication over verify-full TLS with credentials in Secrets Manager; IAM tokens would add a token service to every connection (ADR 0003).
  #checkov:skip=CKV_AWS_118:Enhanced monitoring would create the RDSOSMetrics log group outside the 7-day rule; CloudWatch's RDS metrics and the exported logs suffice.
  #checkov:skip=CKV_AWS_353:Performance Insights is not offered on every small instance class; CloudWatch's RDS metrics and the slow-statement log suffice.
  #checkov:skip=CKV2_AWS_30:Slow statements and connections are logged (parameter group); logging every statement would log file names.
}
