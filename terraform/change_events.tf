# Delivery of the change events (docs/change-events.md): dispatch-events runs every minute,
# one run at a time, and alarms when it fails or when events are parked (given up on).

resource "aws_scheduler_schedule" "dispatch_events" {
  name                         = "${local.name}-dispatch-events"
  description                  = "Delivers the pending change events to the remote HTTPS service"
  schedule_expression          = "rate(1 minute)"
  schedule_expression_timezone = "UTC"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_alias.live["dispatch-events"].arn
    role_arn = aws_iam_role.scheduler.arn

    # The next run is a minute away: a missed one is not worth retrying.
    retry_policy {
      maximum_event_age_in_seconds = 60
      maximum_retry_attempts       = 0
    }
  }

  #checkov:skip=CKV_AWS_297:The schedule holds a function ARN and an empty input; a customer key would protect nothing.
}

# The scheduler invokes asynchronously. With reserved concurrency 1, a run still busy when the
# next minute comes throttles that invocation; without this, Lambda would queue and retry it for
# up to 6 hours, and a failed run would be repeated twice. The next scheduled run does both jobs.
resource "aws_lambda_function_event_invoke_config" "dispatch_events" {
  function_name                = aws_lambda_function.function["dispatch-events"].function_name
  qualifier                    = aws_lambda_alias.live["dispatch-events"].name
  maximum_event_age_in_seconds = 60
  maximum_retry_attempts       = 0
}

# The run log line {"function":"dispatch-events",...,"parked":N} becomes a metric of N, the
# number of events parked in all.
resource "aws_cloudwatch_log_metric_filter" "parked_change_events" {
  name           = "${local.name}-parked-change-events"
  log_group_name = aws_cloudwatch_log_group.functions.name
  pattern        = "{ $.function = \"dispatch-events\" && $.parked >= 0 }"

  metric_transformation {
    # The alarm below names the same metric.
    name      = "ParkedChangeEvents"
    namespace = local.name
    value     = "$.parked"
    unit      = "Count"
  }
}

resource "aws_cloudwatch_metric_alarm" "change_events_parked" {
  alarm_name          = "${local.name}-change-events-parked"
  alarm_description   = "Change events were given up on (parked) and wait in the outbox for an operator: docs/change-events.md."
  namespace           = local.name
  metric_name         = "ParkedChangeEvents"
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "dispatch_events_failed" {
  alarm_name          = "${local.name}-dispatch-events-failed"
  alarm_description   = "dispatch-events failed more than two runs in 15 minutes (database, secret or timeout): change events are not being delivered."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.function["dispatch-events"].function_name }
  statistic           = "Sum"
  period              = 900
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}
