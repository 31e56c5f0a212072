# Daily schedules (requirement R6): the synthetic check through the public endpoint, and the
# purge of expired metadata. Failures reach the alarm e-mail through SNS. The scheduler role
# also invokes dispatch-events, whose schedule and alarms are in change_events.tf.

data "aws_iam_policy_document" "scheduler_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  name               = "${local.name}-scheduler"
  description        = "Lets EventBridge Scheduler invoke the scheduled functions"
  assume_role_policy = data.aws_iam_policy_document.scheduler_trust.json
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid     = "InvokeTheScheduledFunctions"
    actions = ["lambda:InvokeFunction"]
    resources = [
      aws_lambda_alias.live["synthetic-check"].arn,
      aws_lambda_alias.live["purge-expired"].arn,
      aws_lambda_alias.live["dispatch-events"].arn,
    ]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "invoke-scheduled-functions"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

resource "aws_scheduler_schedule" "synthetic_check" {
  name                         = "${local.name}-synthetic-check"
  description                  = "Daily create, read and delete round and /v1/health through the public endpoint"
  schedule_expression          = "cron(0 6 * * ? *)"
  schedule_expression_timezone = "UTC"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_alias.live["synthetic-check"].arn
    role_arn = aws_iam_role.scheduler.arn

    retry_policy {
      maximum_retry_attempts = 2
    }
  }

  #checkov:skip=CKV_AWS_297:The schedule holds a function ARN and an empty input; a customer key would protect nothing.
}

resource "aws_scheduler_schedule" "purge_expired" {
  name                         = "${local.name}-purge-expired"
  description                  = "Daily purge of the metadata of expired files"
  schedule_expression          = "cron(30 3 * * ? *)"
  schedule_expression_timezone = "UTC"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_alias.live["purge-expired"].arn
    role_arn = aws_iam_role.scheduler.arn

    retry_policy {
      maximum_retry_attempts = 2
    }
  }

  #checkov:skip=CKV_AWS_297:The schedule holds a function ARN and an empty input; a customer key would protect nothing.
}

resource "aws_sns_topic" "alarms" {
  name = "${local.name}-alarms"
  #checkov:skip=CKV_AWS_26:CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key, and the messages carry no data.
}

data "aws_iam_policy_document" "alarms_topic" {
  statement {
    sid       = "CloudWatchAlarmsOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms_topic.json
}

resource "aws_sns_topic_subscription" "alarm_email" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "synthetic_check_failed" {
  alarm_name          = "${local.name}-synthetic-check-failed"
  alarm_description   = "The daily synthetic check through the public endpoint failed."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.function["synthetic-check"].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# A check that silently stops running is a failed check too.
resource "aws_cloudwatch_metric_alarm" "synthetic_check_missing" {
  alarm_name          = "${local.name}-synthetic-check-missing"
  alarm_description   = "The synthetic check has not run in the last day."
  namespace           = "AWS/Lambda"
  metric_name         = "Invocations"
  dimensions          = { FunctionName = aws_lambda_function.function["synthetic-check"].function_name }
  statistic           = "Sum"
  period              = 86400
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "purge_failed" {
  alarm_name          = "${local.name}-purge-expired-failed"
  alarm_description   = "The daily purge of expired files failed."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.function["purge-expired"].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
