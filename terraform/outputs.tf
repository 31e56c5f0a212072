output "api_url" {
  description = "Base URL of the API (the only way in: the execute-api endpoint is disabled)."
  value       = "https://${var.domain_name}"
}

output "api_regional_domain_name" {
  description = "Target of the DNS record for domain_name when hosted_zone_id is empty."
  value       = aws_api_gateway_domain_name.api.regional_domain_name
}

output "rest_api_id" {
  description = "Id of the REST API (the requirement checks prove its execute-api endpoint unreachable)."
  value       = aws_api_gateway_rest_api.api.id
}

output "stage_name" {
  value = aws_api_gateway_stage.live.stage_name
}

output "function_names" {
  description = "Function name of each operation."
  value       = { for key, function in aws_lambda_function.function : key => function.function_name }
}

output "function_alias" {
  description = "Alias every caller invokes (it points at the SnapStart version this apply published)."
  value       = local.alias_name
}

output "migrate_function_name" {
  value = aws_lambda_function.function["migrate"].function_name
}

output "synthetic_check_function_name" {
  value = aws_lambda_function.function["synthetic-check"].function_name
}

output "dispatch_events_function_name" {
  value = aws_lambda_function.function["dispatch-events"].function_name
}

output "egress_public_ip" {
  description = "The one public address the change events leave from (the NAT gateway's), for the remote service's allow list."
  value       = aws_eip.nat.public_ip
}

output "dispatch_events_security_group_id" {
  value = aws_security_group.dispatch_events.id
}

output "consumer_read_only_role_arn" {
  value = aws_iam_role.consumer_read_only.arn
}

output "consumer_read_write_role_arn" {
  value = aws_iam_role.consumer_read_write.arn
}

output "function_role_names" {
  value = { for key, role in aws_iam_role.function : key => role.name }
}

output "bucket_name" {
  value = aws_s3_bucket.files.bucket
}

output "db_instance_identifier" {
  value = aws_db_instance.main.identifier
}

output "db_address" {
  description = "Private host name of the database (the requirement checks prove it unreachable from outside)."
  value       = aws_db_instance.main.address
}

output "db_security_group_id" {
  value = aws_security_group.database.id
}

output "functions_security_group_id" {
  value = aws_security_group.functions.id
}

output "cache_replication_group_id" {
  value = aws_elasticache_replication_group.cache.id
}

output "api_key_secret_arn" {
  description = "Secret that receives the remote service's API key (put with the CLI, see docs/deploy.md)."
  value       = aws_secretsmanager_secret.api_key.arn
}

output "secret_arns" {
  value = [
    aws_secretsmanager_secret.db_runtime.arn,
    aws_secretsmanager_secret.cache.arn,
    aws_secretsmanager_secret.api_key.arn,
    aws_db_instance.main.master_user_secret[0].secret_arn,
  ]
}

output "log_group_names" {
  description = "Every log group of the stack; each keeps 7 days."
  value = [
    aws_cloudwatch_log_group.functions.name,
    aws_cloudwatch_log_group.api_access.name,
    aws_cloudwatch_log_group.api_execution.name,
    aws_cloudwatch_log_group.database_postgresql.name,
    aws_cloudwatch_log_group.database_upgrade.name,
    aws_cloudwatch_log_group.cache_slow_log.name,
    aws_cloudwatch_log_group.cache_engine_log.name,
  ]
}

output "alarm_topic_arn" {
  value = aws_sns_topic.alarms.arn
}
