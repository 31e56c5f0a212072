# The REST API (requirement R1): regional, generated from openapi.yaml, reachable only through
# the custom domain with a TLS 1.2 security policy, every route authorised with AWS_IAM.

resource "aws_api_gateway_rest_api" "api" {
  name        = local.name
  description = "CRUD over plaintext files"
  body = templatefile("${path.module}/openapi.yaml", {
    create_file = aws_lambda_alias.live["create-file"].invoke_arn
    list_files  = aws_lambda_alias.live["list-files"].invoke_arn
    read_file   = aws_lambda_alias.live["read-file"].invoke_arn
    update_file = aws_lambda_alias.live["update-file"].invoke_arn
    delete_file = aws_lambda_alias.live["delete-file"].invoke_arn
    health      = aws_lambda_alias.live["health"].invoke_arn
  })

  disable_execute_api_endpoint = true

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id

  triggers = {
    redeployment = sha1(aws_api_gateway_rest_api.api.body)
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/${local.name}/api/access"
  retention_in_days = local.log_retention_days
  #checkov:skip=CKV_AWS_338:Requirement R7 fixes the retention of every log group at 7 days.
  #checkov:skip=CKV_AWS_158:Encrypted with the CloudWatch Logs service key; a customer key adds cost and key policy work for no reader this stack has.
}

# The execution log group API Gateway writes to, created here first so that it gets a retention.
resource "aws_cloudwatch_log_group" "api_execution" {
  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api.id}/${local.stage_name}"
  retention_in_days = local.log_retention_days
  #checkov:skip=CKV_AWS_338:Requirement R7 fixes the retention of every log group at 7 days.
  #checkov:skip=CKV_AWS_158:Encrypted with the CloudWatch Logs service key; a customer key adds cost and key policy work for no reader this stack has.
}

resource "aws_api_gateway_stage" "live" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = local.stage_name

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      caller             = "$context.identity.userArn"
      sourceIp           = "$context.identity.sourceIp"
      httpMethod         = "$context.httpMethod"
      resourcePath       = "$context.resourcePath"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      errorMessage       = "$context.error.message"
      tlsVersion         = "$context.tlsVersion"
    })
  }

  depends_on = [aws_api_gateway_account.main, aws_cloudwatch_log_group.api_execution]

  #checkov:skip=CKV_AWS_120:Responses depend on the signed caller and change on every write; the functions cache behind the API instead.
  #checkov:skip=CKV_AWS_73:Structured JSON logs carry the request id end to end; X-Ray tracing is left off for cost.
  #checkov:skip=CKV2_AWS_29:Every route requires a SigV4 signature from one of two IAM roles, and the stage throttles; a WAF adds cost without a threat it would stop here.
  #checkov:skip=CKV2_AWS_51:Callers authenticate with SigV4; mutual TLS certificates would duplicate that.
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.live.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled = true
    logging_level   = "ERROR"
    # Data tracing would write request and response bodies, that is file contents, to the logs.
    data_trace_enabled     = false
    throttling_rate_limit  = var.api_throttling_rate_limit
    throttling_burst_limit = var.api_throttling_burst_limit
  }

  #checkov:skip=CKV_AWS_225:Responses depend on the signed caller and change on every write; the functions cache behind the API instead.
  #checkov:skip=CKV_AWS_308:No API cache, so nothing to encrypt.
}

# API Gateway writes its execution logs with this account-wide, per-region role.
data "aws_iam_policy_document" "api_gateway_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "api_gateway_logs" {
  name               = "${local.name}-api-gateway-logs"
  description        = "Lets API Gateway write execution and access logs"
  assume_role_policy = data.aws_iam_policy_document.api_gateway_trust.json
}

resource "aws_iam_role_policy_attachment" "api_gateway_logs" {
  role       = aws_iam_role.api_gateway_logs.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "main" {
  cloudwatch_role_arn = aws_iam_role.api_gateway_logs.arn

  depends_on = [aws_iam_role_policy_attachment.api_gateway_logs]
}

resource "aws_api_gateway_domain_name" "api" {
  domain_name              = var.domain_name
  regional_certificate_arn = var.certificate_arn
  security_policy          = "TLS_1_2"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_base_path_mapping" "api" {
  api_id      = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.live.stage_name
  domain_name = aws_api_gateway_domain_name.api.domain_name
}

resource "aws_route53_record" "api" {
  count = var.hosted_zone_id == "" ? 0 : 1

  zone_id = var.hosted_zone_id
  name    = aws_api_gateway_domain_name.api.domain_name
  type    = "A"

  alias {
    name                   = aws_api_gateway_domain_name.api.regional_domain_name
    zone_id                = aws_api_gateway_domain_name.api.regional_zone_id
    evaluate_target_health = false
  }
}

# Consumers (requirement R8): two roles, authorised per route by execute-api:Invoke on the
# exact route ARNs. Callers assume one and sign their requests with SigV4.
data "aws_iam_policy_document" "read_only_consumer_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = length(var.read_only_consumer_principals) > 0 ? var.read_only_consumer_principals : [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "read_write_consumer_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = length(var.read_write_consumer_principals) > 0 ? var.read_write_consumer_principals : [local.account_id]
    }
  }
}

resource "aws_iam_role" "consumer_read_only" {
  name               = "${local.name}-consumer-read-only"
  description        = "API consumer that may list, read and check health"
  assume_role_policy = data.aws_iam_policy_document.read_only_consumer_trust.json
}

resource "aws_iam_role" "consumer_read_write" {
  name               = "${local.name}-consumer-read-write"
  description        = "API consumer that may call every route"
  assume_role_policy = data.aws_iam_policy_document.read_write_consumer_trust.json
}

data "aws_iam_policy_document" "consumer_read_only" {
  statement {
    sid     = "ReadRoutes"
    actions = ["execute-api:Invoke"]
    resources = [
      local.route_arns.list,
      local.route_arns.read,
      local.route_arns.head,
      local.route_arns.health,
    ]
  }
}

data "aws_iam_policy_document" "consumer_read_write" {
  statement {
    sid     = "EveryRoute"
    actions = ["execute-api:Invoke"]
    resources = [
      local.route_arns.create,
      local.route_arns.list,
      local.route_arns.read,
      local.route_arns.head,
      local.route_arns.update,
      local.route_arns.delete,
      local.route_arns.health,
    ]
  }
}

resource "aws_iam_role_policy" "consumer_read_only" {
  name   = "invoke-read-routes"
  role   = aws_iam_role.consumer_read_only.id
  policy = data.aws_iam_policy_document.consumer_read_only.json
}

resource "aws_iam_role_policy" "consumer_read_write" {
  name   = "invoke-every-route"
  role   = aws_iam_role.consumer_read_write.id
  policy = data.aws_iam_policy_document.consumer_read_write.json
}
