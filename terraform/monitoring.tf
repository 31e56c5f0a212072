# Operability: the dashboard, the alarms and the saved Logs Insights queries an on-call engineer
# needs (docs/alarms.md says what each alarm means and what to check first). Every alarm notifies
# aws_sns_topic.alarms (health.tf) on alarm and on recovery. The scheduled functions' failures are
# alarmed in health.tf and change_events.tf, and not a second time here.

locals {
  # The functions' own metrics, written as CloudWatch Embedded Metric Format in their log lines:
  # this namespace, one dimension "function" whose value is the key in local.functions.
  metrics_namespace = local.name

  # The functions behind the API routes (create, read, list, update, delete, health).
  api_functions = toset(distinct([for route in values(local.routes) : route.function]))

  # Throttles alarm for every function but dispatch-events: with reserved concurrency 1, its
  # next run is throttled whenever a run outlasts the minute, by design (change_events.tf); its
  # backlog alarm below tells when that becomes a delay.
  throttle_alarm_functions = toset([for name in keys(local.functions) : name if name != "dispatch-events"])

  # The replication group's nodes, as ElastiCache names them (<group>-001, -002, ...): its
  # engine metrics are published per node.
  cache_nodes = toset([
    for i in range(aws_elasticache_replication_group.cache.num_cache_clusters) :
    format("%s-%03d", aws_elasticache_replication_group.cache.replication_group_id, i + 1)
  ])

  # What a request spends in each dependency, written by every API function (milliseconds).
  dependency_metrics = {
    DatabaseTime = "PostgreSQL"
    StorageTime  = "S3"
    CacheTime    = "Valkey (L2 cache)"
    SecretsTime  = "Secrets Manager"
  }

  api_dimensions = ["ApiName", aws_api_gateway_rest_api.api.name, "Stage", aws_api_gateway_stage.live.stage_name]

  # Cold starts: Lambda's REPORT line of an invocation that started an execution environment. In
  # plain-text logs Logs Insights gives it as @type and @initDuration; in the JSON log format the
  # functions use, it is the platform.report record (restoreDurationMs for a SnapStart restore).
  # The function's name is in the log stream's: YYYY/MM/DD/<function name>[<version>]<id>.
  cold_start_query = <<-EOT
    fields @timestamp, @logStream
    | filter (@type = "REPORT" and @initDuration > 0) or (type = "platform.report" and (record.metrics.initDurationMs > 0 or record.metrics.restoreDurationMs > 0))
    | parse @logStream /\/${local.name}-(?<function>[a-z-]+)\[/
    | stats count(*) as coldStarts, max(coalesce(@initDuration, record.metrics.initDurationMs, record.metrics.restoreDurationMs)) as slowestMs by function
    | sort coldStarts desc
  EOT

  # Every line of one request, API Gateway's access log line included: the X-Request-Id header
  # of a response is API Gateway's request id, the requestId field of each JSON line.
  request_query = <<-EOT
    fields @timestamp, @log, function, method, route, resourcePath, status, latencyMs, responseLatency, integrationLatency, cache, error, dependency, errorMessage
    | filter requestId = "PASTE-THE-X-REQUEST-ID-HERE"
    | sort @timestamp asc
  EOT
}

# --- The API ----------------------------------------------------------------------------------

# More than 1 % of the requests answered 5xx, in two of three 5-minute periods.
resource "aws_cloudwatch_metric_alarm" "api_5xx_rate" {
  alarm_name          = "${local.name}-api-5xx-rate"
  alarm_description   = "More than 1 % of API requests answered 5xx in two of the last three 5-minute periods: docs/alarms.md#api-5xx-rate."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5XXError"
  dimensions          = { ApiName = aws_api_gateway_rest_api.api.name, Stage = aws_api_gateway_stage.live.stage_name }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0.01
  # No request, no datapoint: an idle API is a healthy one.
  treat_missing_data = "notBreaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]
}

# A warm request takes milliseconds and a cold one about a second or two (docs/performance.md);
# 2 s is passed by requests that waited out a dependency's timeout (docs/adr/0007-time-budget.md).
resource "aws_cloudwatch_metric_alarm" "api_latency_p99" {
  alarm_name         = "${local.name}-api-latency-p99"
  alarm_description  = "The API's p99 latency exceeded 2 s in two of the last three 5-minute periods: docs/alarms.md#api-latency-p99."
  namespace          = "AWS/ApiGateway"
  metric_name        = "Latency"
  dimensions         = { ApiName = aws_api_gateway_rest_api.api.name, Stage = aws_api_gateway_stage.live.stage_name }
  extended_statistic = "p99"
  # A quiet period's p99 is its slowest request, often a cold one: too few requests keep the state.
  evaluate_low_sample_count_percentiles = "ignore"
  period                                = 300
  evaluation_periods                    = 3
  datapoints_to_alarm                   = 2
  comparison_operator                   = "GreaterThanThreshold"
  threshold                             = 2000
  treat_missing_data                    = "notBreaching"
  alarm_actions                         = [aws_sns_topic.alarms.arn]
  ok_actions                            = [aws_sns_topic.alarms.arn]
}

# --- The functions ----------------------------------------------------------------------------

# An API function that crashed or ran out of time (the 502 a client gets for it carries none of
# our problem details). The scheduled functions have their own Errors alarms.
resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each = local.api_functions

  alarm_name          = "${local.name}-${each.key}-errors"
  alarm_description   = "${each.key} failed an invocation (unhandled error or timeout): docs/alarms.md#function-errors."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.function[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# A throttled invocation was refused: its reserved concurrency was all in use.
resource "aws_cloudwatch_metric_alarm" "function_throttles" {
  for_each = local.throttle_alarm_functions

  alarm_name          = "${local.name}-${each.key}-throttles"
  alarm_description   = "${each.key} was throttled at its reserved concurrency: docs/alarms.md#function-throttles."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.function[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# --- The database -----------------------------------------------------------------------------

# Less than 10 % of the allocated storage free. Storage autoscaling (max_allocated_storage)
# grows the volume at about the same point; this alarm says when it did not, or cannot.
resource "aws_cloudwatch_metric_alarm" "database_free_storage" {
  alarm_name          = "${local.name}-database-free-storage"
  alarm_description   = "The database has less than 10 % of its allocated storage free: docs/alarms.md#database-free-storage."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.main.identifier }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "LessThanThreshold"
  # allocated_storage is in GiB, FreeStorageSpace in bytes.
  threshold = aws_db_instance.main.allocated_storage * 0.1 * 1024 * 1024 * 1024
  # A gap (reboot, failover) keeps the state: the next datapoint decides.
  treat_missing_data = "missing"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]
}

# More than 80 % of max_connections (the parameter group's value) in use, in three of five
# minutes: above what the functions' reserved concurrency can hold (docs/adr/0003).
resource "aws_cloudwatch_metric_alarm" "database_connections" {
  alarm_name          = "${local.name}-database-connections"
  alarm_description   = "The database holds more than 80 % of max_connections: docs/alarms.md#database-connections."
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.main.identifier }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.db_max_connections * 0.8
  treat_missing_data  = "missing"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# --- The cache --------------------------------------------------------------------------------

# Every cached value lives 60 s at most, so a full cache is not normal; and an eviction may drop
# an invalidation marker, which lets a stale revision back in (docs/adr/0004-cache-consistency.md).
resource "aws_cloudwatch_metric_alarm" "cache_evictions" {
  for_each = local.cache_nodes

  alarm_name          = "${local.name}-cache-evictions-${each.key}"
  alarm_description   = "The cache node ${each.key} evicted keys for lack of memory: docs/alarms.md#cache-evictions."
  namespace           = "AWS/ElastiCache"
  metric_name         = "Evictions"
  dimensions          = { CacheClusterId = each.key }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# --- Change events ----------------------------------------------------------------------------

# The oldest pending change event is older than 15 minutes. Retries wait 30 s, 60 s, 120 s,
# 240 s, 480 s (docs/change-events.md), so at 900 s an event has failed about five times in a
# row: a passing hiccup of the receiver has cleared long before, parking is still hours away.
resource "aws_cloudwatch_metric_alarm" "change_events_backlog" {
  alarm_name          = "${local.name}-change-events-backlog"
  alarm_description   = "The oldest pending change event waits for more than 15 minutes: docs/alarms.md#change-events-backlog."
  namespace           = local.metrics_namespace
  metric_name         = "OldestPendingEventAge"
  dimensions          = { function = "dispatch-events" }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 900
  # Every run writes the age (0 when nothing is pending), once a minute: no datapoint for five
  # minutes means the dispatcher is not running at all, which is a backlog too.
  treat_missing_data = "breaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]
}

# --- Logs Insights ----------------------------------------------------------------------------

resource "aws_cloudwatch_query_definition" "cold_starts" {
  name            = "${local.name}/cold-starts-per-function"
  log_group_names = [aws_cloudwatch_log_group.functions.name]
  query_string    = local.cold_start_query
}

resource "aws_cloudwatch_query_definition" "request" {
  name            = "${local.name}/one-request-by-x-request-id"
  log_group_names = [aws_cloudwatch_log_group.functions.name, aws_cloudwatch_log_group.api_access.name]
  query_string    = local.request_query
}

# --- The dashboard ----------------------------------------------------------------------------

locals {
  # A graph of metrics: each metric is [namespace, name, dimension, value, ..., {options}].
  dashboard_graph = {
    view    = "timeSeries"
    stacked = false
    region  = local.region
    period  = 300
  }

  # Rows of widgets, top to bottom; each row is 24 units wide and 6 high (the headings 1).
  dashboard_rows = concat(
    [
      [
        {
          type = "alarm", width = 24, height = 3
          properties = {
            title = "Alarms (what each means and what to check first: docs/alarms.md)"
            alarms = concat(
              [
                aws_cloudwatch_metric_alarm.api_5xx_rate.arn,
                aws_cloudwatch_metric_alarm.api_latency_p99.arn,
                aws_cloudwatch_metric_alarm.database_free_storage.arn,
                aws_cloudwatch_metric_alarm.database_connections.arn,
                aws_cloudwatch_metric_alarm.change_events_backlog.arn,
                aws_cloudwatch_metric_alarm.change_events_parked.arn,
                aws_cloudwatch_metric_alarm.dispatch_events_failed.arn,
                aws_cloudwatch_metric_alarm.synthetic_check_failed.arn,
                aws_cloudwatch_metric_alarm.synthetic_check_missing.arn,
                aws_cloudwatch_metric_alarm.purge_failed.arn,
              ],
              [for alarm in aws_cloudwatch_metric_alarm.function_errors : alarm.arn],
              [for alarm in aws_cloudwatch_metric_alarm.function_throttles : alarm.arn],
              [for alarm in aws_cloudwatch_metric_alarm.cache_evictions : alarm.arn],
            )
          }
        },
      ],
      [{ type = "text", width = 24, height = 1, properties = { markdown = "## API" } }],
      [
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title = "API requests, 4xx and 5xx (sum)"
            stat  = "Sum"
            metrics = [
              concat(["AWS/ApiGateway", "Count"], local.api_dimensions, [{ label = "requests" }]),
              concat(["AWS/ApiGateway", "4XXError"], local.api_dimensions, [{ label = "4xx" }]),
              concat(["AWS/ApiGateway", "5XXError"], local.api_dimensions, [{ label = "5xx" }]),
            ]
          })
        },
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title = "API latency (ms)"
            metrics = [
              concat(["AWS/ApiGateway", "Latency"], local.api_dimensions, [{ stat = "p50", label = "p50" }]),
              concat(["AWS/ApiGateway", "Latency"], local.api_dimensions, [{ stat = "p99", label = "p99" }]),
            ]
            annotations = { horizontal = [{ label = "p99 alarm", value = aws_cloudwatch_metric_alarm.api_latency_p99.threshold }] }
          })
        },
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title   = "5xx answered, by function (EMF Status5xx, sum)"
            stat    = "Sum"
            metrics = [for name in sort(local.api_functions) : [local.metrics_namespace, "Status5xx", "function", name, { label = name }]]
          })
        },
      ],
      [{ type = "text", width = 24, height = 1, properties = { markdown = "## Functions (cold starts: each API function's first request per environment, EMF ColdStarts; details in the saved query ${aws_cloudwatch_query_definition.cold_starts.name})" } }],
      [
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title   = "Duration p99 (ms)"
            stat    = "p99"
            metrics = [for name in sort(keys(local.functions)) : ["AWS/Lambda", "Duration", "FunctionName", aws_lambda_function.function[name].function_name, { label = name }]]
          })
        },
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title   = "ConcurrentExecutions (maximum)"
            stat    = "Maximum"
            metrics = [for name in sort(keys(local.functions)) : ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", aws_lambda_function.function[name].function_name, { label = name }]]
          })
        },
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title   = "Cold starts (EMF ColdStarts, sum)"
            stat    = "Sum"
            metrics = [for name in sort(local.api_functions) : [local.metrics_namespace, "ColdStarts", "function", name, { label = name }]]
          })
        },
      ],
    ],
    # Each function's Errors and Throttles (left) and Duration (right), four to a row.
    chunklist([
      for name in sort(keys(local.functions)) : {
        type = "metric", width = 6, height = 6
        properties = merge(local.dashboard_graph, {
          title = name
          metrics = [
            ["AWS/Lambda", "Errors", "FunctionName", aws_lambda_function.function[name].function_name, { stat = "Sum", label = "Errors" }],
            ["AWS/Lambda", "Throttles", "FunctionName", aws_lambda_function.function[name].function_name, { stat = "Sum", label = "Throttles" }],
            ["AWS/Lambda", "Duration", "FunctionName", aws_lambda_function.function[name].function_name, { stat = "Average", label = "Duration avg (ms)", yAxis = "right" }],
          ]
        })
      }
    ], 4),
    [
      [{ type = "text", width = 24, height = 1, properties = { markdown = "## Time spent in each dependency per request (EMF, average ms)" } }],
      [
        for metric, dependency in local.dependency_metrics : {
          type = "metric", width = 6, height = 6
          properties = merge(local.dashboard_graph, {
            title   = "${dependency} (${metric})"
            stat    = "Average"
            metrics = [for name in sort(local.api_functions) : [local.metrics_namespace, metric, "function", name, { label = name }]]
          })
        }
      ],
      [{ type = "text", width = 24, height = 1, properties = { markdown = "## Database and cache" } }],
      [
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title   = "RDS CPUUtilization (%)"
            stat    = "Average"
            metrics = [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", aws_db_instance.main.identifier]]
          })
        },
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title       = "RDS FreeStorageSpace (bytes)"
            stat        = "Minimum"
            metrics     = [["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", aws_db_instance.main.identifier]]
            annotations = { horizontal = [{ label = "alarm", value = aws_cloudwatch_metric_alarm.database_free_storage.threshold }] }
          })
        },
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title       = "RDS DatabaseConnections (maximum)"
            stat        = "Maximum"
            metrics     = [["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", aws_db_instance.main.identifier]]
            annotations = { horizontal = [{ label = "alarm", value = aws_cloudwatch_metric_alarm.database_connections.threshold }] }
          })
        },
      ],
      [
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title = "read-file cache hits (% of requests, EMF)"
            metrics = [
              [local.metrics_namespace, "CacheL1Hits", "function", "read-file", { id = "l1", stat = "Sum", visible = false }],
              [local.metrics_namespace, "CacheL2Hits", "function", "read-file", { id = "l2", stat = "Sum", visible = false }],
              [local.metrics_namespace, "Requests", "function", "read-file", { id = "requests", stat = "Sum", visible = false }],
              [{ id = "hits", expression = "100 * (l1 + l2) / requests", label = "L1 + L2 hits %" }],
              [{ id = "l1share", expression = "100 * l1 / requests", label = "L1 (in-process) hits %" }],
            ]
            yAxis = { left = { min = 0, max = 100 } }
          })
        },
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title   = "ElastiCache DatabaseMemoryUsagePercentage"
            stat    = "Maximum"
            metrics = [for node in sort(local.cache_nodes) : ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", node, { label = node }]]
          })
        },
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title   = "ElastiCache Evictions (sum)"
            stat    = "Sum"
            metrics = [for node in sort(local.cache_nodes) : ["AWS/ElastiCache", "Evictions", "CacheClusterId", node, { label = node }]]
          })
        },
      ],
      [{ type = "text", width = 24, height = 1, properties = { markdown = "## Change events and the daily purge" } }],
      [
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title       = "Outbox backlog: oldest pending event (s, maximum)"
            stat        = "Maximum"
            metrics     = [[local.metrics_namespace, "OldestPendingEventAge", "function", "dispatch-events"]]
            annotations = { horizontal = [{ label = "alarm", value = aws_cloudwatch_metric_alarm.change_events_backlog.threshold }] }
          })
        },
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title = "Change events delivered, retried, parked (sum)"
            stat  = "Sum"
            metrics = [
              for metric in ["EventsDelivered", "EventsRetried", "EventsParked"] :
              [local.metrics_namespace, metric, "function", "dispatch-events", { label = metric }]
            ]
          })
        },
        {
          type = "metric", width = 8, height = 6
          properties = merge(local.dashboard_graph, {
            title  = "Files purged, orphan blobs removed and not removed (sum per day)"
            stat   = "Sum"
            period = 86400
            metrics = [
              for metric in ["FilesPurged", "OrphanBlobsRemoved", "OrphanBlobsFailed"] :
              [local.metrics_namespace, metric, "function", "purge-expired", { label = metric }]
            ]
          })
        },
      ],
    ],
  )

  # Where each row starts: the sum of the heights above it.
  dashboard_row_heights = [for row in local.dashboard_rows : max([for widget in row : widget.height]...)]
}

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = local.name
  dashboard_body = jsonencode({
    widgets = flatten([
      for r, row in local.dashboard_rows : [
        for i, widget in row : merge(widget, {
          x = sum(concat([0], [for j, previous in row : previous.width if j < i]))
          y = sum(concat([0], [for k, height in local.dashboard_row_heights : height if k < r]))
        })
      ]
    ])
  })
}
