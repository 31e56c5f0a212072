package io.helloserverless.terraform;

import static io.helloserverless.terraform.Findings.assertNone;
import static io.helloserverless.terraform.Findings.assertReported;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Operability (docs/alarms.md): the alarms an on-call engineer needs, the dashboard and the saved
 * Logs Insights queries of terraform/monitoring.tf. Each rule is shown able to fail on a copy
 * broken on purpose: an alarm without its action, alarming in the wrong direction, with the wrong
 * threshold, or removed.
 */
class MonitoringTest {

    private static final TerraformConfig MAIN = Repository.main();
    private static final String FILE = "monitoring.tf";

    /** A copy in which one argument of one alarm of monitoring.tf reads {@code value} (null: the line is gone). */
    private static TerraformConfig alarmWith(String alarm, String argument, String value) {
        String block = MAIN.blockSource("resource", "aws_cloudwatch_metric_alarm", alarm);
        Matcher line = Pattern.compile("(?m)^(\\s*)" + Pattern.quote(argument) + "\\s*=.*\\n").matcher(block);
        if (!line.find()) {
            throw new IllegalArgumentException(alarm + " has no argument " + argument);
        }
        String replacement = value == null ? "" : line.group(1) + argument + " = " + value + "\n";
        String broken = block.substring(0, line.start()) + replacement + block.substring(line.end());
        return MAIN.replace(FILE, block, broken);
    }

    /** A copy without one resource of monitoring.tf. */
    private static TerraformConfig without(String type, String name) {
        return MAIN.replace(FILE, MAIN.blockSource("resource", type, name), "");
    }

    @Nested
    class TheAlarmTopic {

        @Test
        void isTheExistingOneForEveryAlarm() {
            assertNone(MonitoringPolicies.everyAlarmNotifiesTheOneTopic(MAIN));
        }

        @Test
        void reportsAnAlarmSentElsewhere() {
            TerraformConfig broken = alarmWith("cache_evictions", "alarm_actions", "[\"arn:aws:sns:eu-west-1:123456789012:other\"]");
            assertReported(MonitoringPolicies.everyAlarmNotifiesTheOneTopic(broken),
                    "aws_cloudwatch_metric_alarm.cache_evictions must send its alarm to aws_sns_topic.alarms.arn alone");
        }

        @Test
        void reportsASecondTopic() {
            TerraformConfig broken = MAIN.replace(FILE, "# --- The API ---",
                    "resource \"aws_sns_topic\" \"on_call\" {\n  name = \"on-call\"\n}\n\n# --- The API ---");
            assertReported(MonitoringPolicies.everyAlarmNotifiesTheOneTopic(broken), "the alarms must reuse aws_sns_topic.alarms");
        }
    }

    @Nested
    class TheApi5xxRateAlarm {

        @Test
        void watchesTheRateAboveOnePercent() {
            assertNone(MonitoringPolicies.api5xxRateAlarm(MAIN));
        }

        @Test
        void reportsAMissingAlarmAction() {
            assertReported(MonitoringPolicies.api5xxRateAlarm(alarmWith("api_5xx_rate", "alarm_actions", null)),
                    "must send its alarm to aws_sns_topic.alarms.arn");
        }

        @Test
        void reportsTheWrongDirection() {
            assertReported(MonitoringPolicies.api5xxRateAlarm(alarmWith("api_5xx_rate", "comparison_operator", "\"LessThanThreshold\"")),
                    "must alarm above its threshold");
        }

        @Test
        void reportsACountInsteadOfARate() {
            assertReported(MonitoringPolicies.api5xxRateAlarm(alarmWith("api_5xx_rate", "statistic", "\"Sum\"")), "statistic Average");
        }

        @Test
        void reportsTheAlarmRemoved() {
            assertReported(MonitoringPolicies.api5xxRateAlarm(without("aws_cloudwatch_metric_alarm", "api_5xx_rate")),
                    "expected one alarm on the API's 5xx rate");
        }
    }

    @Nested
    class TheApiLatencyAlarm {

        @Test
        void watchesP99AboveTwoSeconds() {
            assertNone(MonitoringPolicies.apiLatencyAlarm(MAIN));
        }

        @Test
        void reportsAMissingRecoveryAction() {
            assertReported(MonitoringPolicies.apiLatencyAlarm(alarmWith("api_latency_p99", "ok_actions", null)), "must send its recovery");
        }

        @Test
        void reportsAnAverageInsteadOfP99() {
            assertReported(MonitoringPolicies.apiLatencyAlarm(alarmWith("api_latency_p99", "extended_statistic", "\"p50\"")),
                    "must watch the p99 latency");
        }

        @Test
        void reportsAThresholdNoRequestReaches() {
            assertReported(MonitoringPolicies.apiLatencyAlarm(alarmWith("api_latency_p99", "threshold", "29000")),
                    "must stay well below the shortest API timeout");
        }

        @Test
        void reportsTheWrongDirection() {
            assertReported(MonitoringPolicies.apiLatencyAlarm(alarmWith("api_latency_p99", "comparison_operator", "\"LessThanThreshold\"")),
                    "must alarm above its threshold");
        }
    }

    @Nested
    class TheFunctionErrorsAlarms {

        @Test
        void coverEveryFunctionOnceButMigrate() {
            assertNone(MonitoringPolicies.functionErrorsAlarms(MAIN));
        }

        @Test
        void reportTheScheduledFunctionsAlarmedTwice() {
            TerraformConfig broken = alarmWith("function_errors", "for_each", "local.throttle_alarm_functions");
            assertReported(MonitoringPolicies.functionErrorsAlarms(broken), "purge-expired needs exactly one Errors alarm, has 2");
        }

        @Test
        void reportAnApiFunctionLeftOut() {
            assertReported(MonitoringPolicies.functionErrorsAlarms(without("aws_cloudwatch_metric_alarm", "function_errors")),
                    "read-file needs exactly one Errors alarm, has 0");
        }

        @Test
        void reportAMissingAlarmAction() {
            assertReported(MonitoringPolicies.functionErrorsAlarms(alarmWith("function_errors", "alarm_actions", null)),
                    "aws_cloudwatch_metric_alarm.function_errors must send its alarm to");
        }

        @Test
        void reportTheWrongDirection() {
            assertReported(MonitoringPolicies.functionErrorsAlarms(alarmWith("function_errors", "comparison_operator", "\"LessThanThreshold\"")),
                    "must alarm above its threshold");
        }
    }

    @Nested
    class TheFunctionThrottlesAlarms {

        @Test
        void coverEveryFunctionButTheDispatcher() {
            assertNone(MonitoringPolicies.functionThrottlesAlarms(MAIN));
        }

        @Test
        void reportTheScheduledFunctionsLeftOut() {
            TerraformConfig broken = alarmWith("function_throttles", "for_each", "local.api_functions");
            assertReported(MonitoringPolicies.functionThrottlesAlarms(broken), "purge-expired needs 1 Throttles alarm, has 0");
        }

        @Test
        void reportTheDispatcherAlarmedOnThrottlesByDesign() {
            TerraformConfig broken = alarmWith("function_throttles", "for_each", "local.functions");
            assertReported(MonitoringPolicies.functionThrottlesAlarms(broken), "dispatch-events needs 0 Throttles alarm, has 1");
        }

        @Test
        void reportAMissingAlarmAction() {
            assertReported(MonitoringPolicies.functionThrottlesAlarms(alarmWith("function_throttles", "alarm_actions", null)),
                    "must send its alarm to");
        }

        @Test
        void reportTheWrongDirection() {
            assertReported(MonitoringPolicies.functionThrottlesAlarms(alarmWith("function_throttles", "comparison_operator", "\"LessThanThreshold\"")),
                    "must alarm above its threshold");
        }
    }

    @Nested
    class TheDatabaseFreeStorageAlarm {

        @Test
        void watchesTenPercentOfTheAllocatedStorage() {
            assertNone(MonitoringPolicies.databaseFreeStorageAlarm(MAIN));
        }

        @Test
        void reportsAThresholdNotComputedFromTheAllocation() {
            assertReported(MonitoringPolicies.databaseFreeStorageAlarm(alarmWith("database_free_storage", "threshold", "2147483648")),
                    "must be computed from aws_db_instance.main.allocated_storage");
        }

        @Test
        void reportsAnotherFraction() {
            TerraformConfig broken = alarmWith("database_free_storage", "threshold", "aws_db_instance.main.allocated_storage * 0.5 * 1024 * 1024 * 1024");
            assertReported(MonitoringPolicies.databaseFreeStorageAlarm(broken), "must be 10 % of the allocated storage in bytes");
        }

        @Test
        void reportsTheWrongDirection() {
            TerraformConfig broken = alarmWith("database_free_storage", "comparison_operator", "\"GreaterThanThreshold\"");
            assertReported(MonitoringPolicies.databaseFreeStorageAlarm(broken), "must alarm when free storage falls below the threshold");
        }

        @Test
        void reportsAMissingAlarmAction() {
            assertReported(MonitoringPolicies.databaseFreeStorageAlarm(alarmWith("database_free_storage", "alarm_actions", null)),
                    "must send its alarm to");
        }
    }

    @Nested
    class TheDatabaseConnectionsAlarm {

        @Test
        void watchesEightyPercentOfMaxConnections() {
            assertNone(MonitoringPolicies.databaseConnectionsAlarm(MAIN));
        }

        @Test
        void reportsALiteralThreshold() {
            assertReported(MonitoringPolicies.databaseConnectionsAlarm(alarmWith("database_connections", "threshold", "80")),
                    "must be computed from the parameter group's max_connections (var.db_max_connections)");
        }

        @Test
        void reportsAThresholdTheFunctionsReachInNormalUse() {
            TerraformConfig broken = alarmWith("database_connections", "threshold", "var.db_max_connections * 0.5");
            assertReported(MonitoringPolicies.databaseConnectionsAlarm(broken), "connections the functions may hold");
        }

        @Test
        void reportsTheWrongDirection() {
            TerraformConfig broken = alarmWith("database_connections", "comparison_operator", "\"LessThanThreshold\"");
            assertReported(MonitoringPolicies.databaseConnectionsAlarm(broken), "must alarm above its threshold");
        }

        @Test
        void reportsTheAlarmRemoved() {
            assertReported(MonitoringPolicies.databaseConnectionsAlarm(without("aws_cloudwatch_metric_alarm", "database_connections")),
                    "expected one alarm on the database's connections");
        }
    }

    @Nested
    class TheCacheEvictionsAlarm {

        @Test
        void watchesEveryNodeFromTheFirstEviction() {
            assertNone(MonitoringPolicies.cacheEvictionsAlarm(MAIN));
        }

        @Test
        void reportsAMissingAlarmAction() {
            assertReported(MonitoringPolicies.cacheEvictionsAlarm(alarmWith("cache_evictions", "alarm_actions", null)), "must send its alarm to");
        }

        @Test
        void reportsTheWrongDirection() {
            assertReported(MonitoringPolicies.cacheEvictionsAlarm(alarmWith("cache_evictions", "comparison_operator", "\"LessThanThreshold\"")),
                    "must alarm above its threshold");
        }

        @Test
        void reportsOneNodeWatchedAlone() {
            TerraformConfig broken = alarmWith("cache_evictions", "dimensions", "{ CacheClusterId = \"hello-serverless-001\" }");
            assertReported(MonitoringPolicies.cacheEvictionsAlarm(broken), "must watch every node");
        }
    }

    @Nested
    class TheChangeEventsBacklogAlarm {

        @Test
        void watchesTheOldestPendingEventAboveFifteenMinutes() {
            assertNone(MonitoringPolicies.changeEventsBacklogAlarm(MAIN));
        }

        @Test
        void reportsAMissingAlarmAction() {
            assertReported(MonitoringPolicies.changeEventsBacklogAlarm(alarmWith("change_events_backlog", "alarm_actions", null)),
                    "must send its alarm to");
        }

        @Test
        void reportsAThresholdInsideTheRetryBackoff() {
            assertReported(MonitoringPolicies.changeEventsBacklogAlarm(alarmWith("change_events_backlog", "threshold", "60")),
                    "must alarm above 900 s");
        }

        @Test
        void reportsTheWrongDirection() {
            TerraformConfig broken = alarmWith("change_events_backlog", "comparison_operator", "\"LessThanThreshold\"");
            assertReported(MonitoringPolicies.changeEventsBacklogAlarm(broken), "must alarm above its threshold");
        }

        @Test
        void reportsAMetricNameTheDispatcherDoesNotWrite() {
            TerraformConfig broken = alarmWith("change_events_backlog", "metric_name", "\"OldestEventAge\"");
            assertReported(MonitoringPolicies.changeEventsBacklogAlarm(broken), "expected one alarm on the change-event backlog's age");
        }
    }

    @Nested
    class TheDashboard {

        @Test
        void chartsEveryMetricTheOnCallNeeds() {
            assertNone(MonitoringPolicies.theDashboardChartsEveryMetric(MAIN));
        }

        @Test
        void reportsAMetricLeftOut() {
            TerraformConfig broken = MAIN.replace(FILE, "\"ConcurrentExecutions\"", "\"Invocations\"");
            assertReported(MonitoringPolicies.theDashboardChartsEveryMetric(broken), "the dashboard must chart AWS/Lambda ConcurrentExecutions");
        }

        @Test
        void reportsADependencyLeftOut() {
            TerraformConfig broken = MAIN.replace(FILE, "    SecretsTime  = \"Secrets Manager\"\n", "");
            assertReported(MonitoringPolicies.theDashboardChartsEveryMetric(broken), "the dashboard must chart EMF SecretsTime");
        }

        @Test
        void reportsTheDashboardRemoved() {
            assertReported(MonitoringPolicies.theDashboardChartsEveryMetric(without("aws_cloudwatch_dashboard", "main")),
                    "expected one aws_cloudwatch_dashboard");
        }
    }

    @Nested
    class TheLogsInsightsQueries {

        @Test
        void areSaved() {
            assertNone(MonitoringPolicies.theLogsInsightsQueriesAreSaved(MAIN));
        }

        @Test
        void reportTheColdStartQueryOverAnotherLogGroup() {
            TerraformConfig broken = MAIN.replace(FILE, "log_group_names = [aws_cloudwatch_log_group.functions.name]\n",
                    "log_group_names = [aws_cloudwatch_log_group.api_access.name]\n");
            assertReported(MonitoringPolicies.theLogsInsightsQueriesAreSaved(broken), "no saved query counting cold starts");
        }

        @Test
        void reportTheRequestQueryRemoved() {
            assertReported(MonitoringPolicies.theLogsInsightsQueriesAreSaved(without("aws_cloudwatch_query_definition", "request")),
                    "no saved query finding one request's lines");
        }
    }

    @Nested
    class TheRunbook {

        @Test
        void describesEveryAlarm() {
            assertNone(MonitoringPolicies.everyAlarmIsDocumented(MAIN, Repository.text("docs/alarms.md")));
        }

        @Test
        void reportsAnUndocumentedAlarm() {
            TerraformConfig broken = alarmWith("change_events_backlog", "alarm_name", "\"${local.name}-outbox-stuck\"");
            assertReported(MonitoringPolicies.everyAlarmIsDocumented(broken, Repository.text("docs/alarms.md")),
                    "docs/alarms.md must describe the alarm `hello-serverless-outbox-stuck`");
        }
    }
}
