# One Lambda function per operation (requirement R2), all logging JSON into one log group (R7).

resource "aws_cloudwatch_log_group" "functions" {
  name              = "/${local.name}/functions"
  retention_in_days = local.log_retention_days
  #checkov:skip=CKV_AWS_338:Requirement R7 fixes the retention of every log group at 7 days.
  #checkov:skip=CKV_AWS_158:Encrypted with the CloudWatch Logs service key; a customer key adds cost and key policy work for no reader this stack has.
}

# AWS's published RDS CA bundle, fetched and checked by the deploy workflow
# (.github/scripts/rds-ca-layer.sh), as a layer: Lambda mounts it under /opt.
resource "aws_lambda_layer_version" "rds_ca" {
  layer_name               = "${local.name}-rds-ca"
  description              = "AWS RDS CA bundle for verify-full TLS to the database"
  filename                 = "${local.functions_dir}/rds-ca-layer.zip"
  source_code_hash         = filebase64sha256("${local.functions_dir}/rds-ca-layer.zip")
  compatible_runtimes      = ["java21"]
  compatible_architectures = [local.lambda_architecture]
}

resource "aws_lambda_function" "function" {
  for_each = local.functions

  function_name    = "${local.name}-${each.key}"
  description      = "hello-serverless ${each.key}"
  role             = aws_iam_role.function[each.key].arn
  runtime          = "java21"
  architectures    = [local.lambda_architecture]
  handler          = "io.helloserverless.lambda.${each.value.handler}::handleRequest"
  filename         = "${local.functions_dir}/${each.key}.zip"
  source_code_hash = filebase64sha256("${local.functions_dir}/${each.key}.zip")

  # The RDS CA bundle for DB_SSLMODE=verify-full (DB_SSLROOTCERT in locals.tf).
  layers = contains(each.value.uses, "db") ? [aws_lambda_layer_version.rds_ca.arn] : []

  memory_size                    = each.value.memory
  timeout                        = each.value.timeout
  reserved_concurrent_executions = each.value.concurrency

  # SnapStart restores published versions from a snapshot (the API functions, whose checkpoint
  # hooks prime them and close their connections: docs/adr/0015-snapstart-priming.md); the alias
  # below always points at the version this apply published.
  publish = true
  dynamic "snap_start" {
    for_each = each.value.snap_start ? [each.key] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.functions.name
    application_log_level = var.log_level
    system_log_level      = "WARN"
  }

  dynamic "vpc_config" {
    for_each = each.value.in_vpc ? [each.key] : []
    content {
      subnet_ids         = each.value.egress ? [for subnet in aws_subnet.egress : subnet.id] : [for subnet in aws_subnet.private : subnet.id]
      security_group_ids = [each.value.egress ? aws_security_group.dispatch_events.id : aws_security_group.functions.id]
    }
  }

  environment {
    variables = merge(
      local.env_common,
      each.value.snap_start ? {} : local.env_on_demand,
      contains(each.value.uses, "db") ? local.env_groups.db : {},
      contains(each.value.uses, "db_admin") ? local.env_groups.db_admin : {},
      contains(each.value.uses, "cache") ? local.env_groups.cache : {},
      contains(each.value.uses, "bucket") ? local.env_groups.bucket : {},
      contains(each.value.uses, "api") ? local.env_groups.api : {},
      contains(each.value.uses, "webhook") ? local.env_groups.webhook : {},
    )
  }

  depends_on = [aws_iam_role_policy.function_logs, aws_iam_role_policy.function_vpc]

  #checkov:skip=CKV_AWS_116:API functions are invoked synchronously; the scheduled ones raise CloudWatch alarms on error (health.tf, change_events.tf).
  #checkov:skip=CKV_AWS_117:Only synthetic-check runs outside the VPC, on purpose: it calls the public API like a consumer and touches nothing private.
  #checkov:skip=CKV_AWS_173:The environment holds names and ARNs only, never a secret (requirement R10).
  #checkov:skip=CKV_AWS_272:Packages are built and deployed by the same OIDC-authenticated workflow from main.
  #checkov:skip=CKV_AWS_50:Structured JSON logs carry the request id end to end; X-Ray tracing is left off for cost.
}

resource "aws_lambda_alias" "live" {
  for_each = local.functions

  name             = local.alias_name
  function_name    = aws_lambda_function.function[each.key].function_name
  function_version = aws_lambda_function.function[each.key].version
}

resource "aws_lambda_permission" "api" {
  for_each = local.routes

  statement_id  = "api-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.function[each.value.function].function_name
  qualifier     = aws_lambda_alias.live[each.value.function].name
  principal     = "apigateway.amazonaws.com"
  source_arn    = local.route_arns[each.key]
}
