package io.helloserverless.terraform;

import static io.helloserverless.terraform.TerraformConfig.list;
import static io.helloserverless.terraform.TerraformConfig.map;
import static io.helloserverless.terraform.TerraformConfig.refName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The operability rules (docs/alarms.md): the alarms an on-call engineer needs, each on its
 * metric, with its threshold and direction, notifying the one alarm topic; the dashboard naming
 * every metric it must chart; the saved Logs Insights queries. Alarms are found by the metric they
 * watch, not by their resource name, so that a removed or re-pointed alarm is reported.
 *
 * <p>hcl4j keeps neither arithmetic over references ({@code var.x * 0.8}) nor {@code jsonencode}
 * bodies, so thresholds computed from other resources and the dashboard are read from the source.
 */
final class MonitoringPolicies {

    static final String TOPIC = "aws_sns_topic.alarms.arn";

    /** The alarm topic's subscribers are people: every alarm of the stack goes to this topic alone. */
    static final String TOPIC_RESOURCE = "alarms";

    /** How local.api_functions derives the API functions from the routes, and the throttled set from local.functions. */
    static final String API_FUNCTIONS = "toset(distinct([for route in values(local.routes) : route.function]))";
    static final String ALL_BUT_THE_DISPATCHER = "toset([for name in keys(local.functions) : name if name != \"dispatch-events\"])";

    /** Invoked by the deploy workflow, which fails on its FunctionError: no alarm needed. */
    static final Set<String> NO_ERRORS_ALARM = Set.of("migrate");

    /** Throttled by design when a run outlasts the minute (change_events.tf); its backlog alarm covers it. */
    static final Set<String> NO_THROTTLES_ALARM = Set.of("dispatch-events");

    static final Set<String> MISSING_DATA = Set.of("breaching", "notBreaching", "ignore", "missing");

    /** Each metric the dashboard must chart, by namespace ("EMF" for the functions' own namespace). */
    static final Map<String, List<String>> DASHBOARD_METRICS = dashboardMetrics();

    private static final Pattern ONE_FUNCTION = Pattern.compile("aws_lambda_function\\.function\\[\"([a-z0-9-]+)\"\\]\\.function_name");
    private static final String EACH_FUNCTION = "aws_lambda_function.function[each.key].function_name";
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private MonitoringPolicies() {
    }

    /** One alarm as declared: its name, parsed body and source text. */
    record Alarm(String name, Map<String, Object> body, String source) {

        String address() {
            return "aws_cloudwatch_metric_alarm." + name;
        }
    }

    /** The alarms of the configuration that watch {@code namespace}/{@code metric}. */
    static List<Alarm> alarmsOn(TerraformConfig tf, String namespace, String metric) {
        List<Alarm> found = new ArrayList<>();
        tf.resources("aws_cloudwatch_metric_alarm").forEach((name, body) -> {
            if (namespace.equals(tf.string(body.get("namespace"))) && metric.equals(tf.string(body.get("metric_name")))) {
                found.add(new Alarm(name, body, tf.blockSource("resource", "aws_cloudwatch_metric_alarm", name)));
            }
        });
        return found;
    }

    /** Every alarm notifies the existing topic; there is one topic, aws_sns_topic.alarms. */
    static List<String> everyAlarmNotifiesTheOneTopic(TerraformConfig tf) {
        Found f = new Found();
        f.require(tf.resources("aws_sns_topic").keySet().equals(Set.of(TOPIC_RESOURCE)),
                "the alarms must reuse aws_sns_topic." + TOPIC_RESOURCE + ", topics are " + tf.resources("aws_sns_topic").keySet());
        Map<String, Map<String, Object>> alarms = tf.resources("aws_cloudwatch_metric_alarm");
        f.require(alarms.size() >= 12, "expected the operability alarms besides the scheduled functions', found " + alarms.keySet());
        alarms.forEach((name, body) -> {
            List<Object> actions = list(body.get("alarm_actions"));
            f.require(actions.equals(List.of(new TerraformConfig.Ref(TOPIC))),
                    "aws_cloudwatch_metric_alarm." + name + " must send its alarm to " + TOPIC + " alone, sends to " + actions);
        });
        return f.list();
    }

    /** API Gateway 5XXError, as a rate (Average), above 1 %, over 5-minute periods. */
    static List<String> api5xxRateAlarm(TerraformConfig tf) {
        Found f = new Found();
        Alarm alarm = single(tf, f, "AWS/ApiGateway", "5XXError", "the API's 5xx rate");
        if (alarm != null) {
            notifies(tf, f, alarm);
            onTheApiStage(f, alarm);
            f.require("Average".equals(tf.string(alarm.body().get("statistic"))),
                    alarm.address() + " must watch the 5xx rate (statistic Average), not " + alarm.body().get("statistic"));
            above(tf, f, alarm);
            f.require(tf.number(alarm.body().get("threshold")) == 0.01, alarm.address() + " must alarm above a 5xx rate of 0.01 (1 %), alarms above "
                    + alarm.body().get("threshold"));
            f.require(tf.number(alarm.body().get("period")) == 300, alarm.address() + " must evaluate 5-minute periods");
        }
        return f.list();
    }

    /** API Gateway Latency p99 above a threshold well below the shortest API function timeout. */
    static List<String> apiLatencyAlarm(TerraformConfig tf) {
        Found f = new Found();
        Alarm alarm = single(tf, f, "AWS/ApiGateway", "Latency", "the API's p99 latency");
        if (alarm != null) {
            notifies(tf, f, alarm);
            onTheApiStage(f, alarm);
            f.require("p99".equals(tf.string(alarm.body().get("extended_statistic"))) && alarm.body().get("statistic") == null,
                    alarm.address() + " must watch the p99 latency (extended_statistic = \"p99\")");
            above(tf, f, alarm);
            double threshold = tf.number(alarm.body().get("threshold"));
            double shortestTimeoutMs = apiFunctions(tf).stream()
                    .mapToDouble(name -> tf.number(map(map(tf.locals().get("functions")).get(name)).get("timeout")) * 1000)
                    .min().orElse(Double.NaN);
            f.require(threshold == 2000, alarm.address() + " must alarm above 2000 ms (docs/alarms.md), alarms above " + threshold);
            f.require(threshold < shortestTimeoutMs / 2,
                    alarm.address() + " threshold " + threshold + " ms must stay well below the shortest API timeout, " + shortestTimeoutMs + " ms");
        }
        return f.list();
    }

    /**
     * Every function but migrate has exactly one Errors alarm, Sum above 0 for the API functions;
     * the scheduled functions keep theirs (health.tf, change_events.tf) and get no second one.
     */
    static List<String> functionErrorsAlarms(TerraformConfig tf) {
        Found f = new Found();
        Map<String, Integer> alarmsPerFunction = new TreeMap<>();
        for (Alarm alarm : alarmsOn(tf, "AWS/Lambda", "Errors")) {
            Set<String> functions = functionsOf(tf, f, alarm);
            functions.forEach(name -> alarmsPerFunction.merge(name, 1, Integer::sum));
            if (functions.stream().anyMatch(apiFunctions(tf)::contains)) {
                notifies(tf, f, alarm);
                f.require("Sum".equals(tf.string(alarm.body().get("statistic"))), alarm.address() + " must sum the errors");
                above(tf, f, alarm);
                f.require(tf.number(alarm.body().get("threshold")) == 0, alarm.address() + " must alarm on the first error (threshold 0)");
            }
        }
        for (String function : functionNames(tf)) {
            int count = alarmsPerFunction.getOrDefault(function, 0);
            if (NO_ERRORS_ALARM.contains(function)) {
                f.require(count == 0, function + " needs no Errors alarm (the deploy workflow checks its result), has " + count);
            } else {
                f.require(count == 1, function + " needs exactly one Errors alarm, has " + count);
            }
        }
        return f.list();
    }

    /** Every function but dispatch-events has one Throttles alarm, Sum above 0. */
    static List<String> functionThrottlesAlarms(TerraformConfig tf) {
        Found f = new Found();
        Map<String, Integer> alarmsPerFunction = new TreeMap<>();
        for (Alarm alarm : alarmsOn(tf, "AWS/Lambda", "Throttles")) {
            functionsOf(tf, f, alarm).forEach(name -> alarmsPerFunction.merge(name, 1, Integer::sum));
            notifies(tf, f, alarm);
            f.require("Sum".equals(tf.string(alarm.body().get("statistic"))), alarm.address() + " must sum the throttles");
            above(tf, f, alarm);
            f.require(tf.number(alarm.body().get("threshold")) == 0, alarm.address() + " must alarm on the first throttle (threshold 0)");
        }
        for (String function : functionNames(tf)) {
            int expected = NO_THROTTLES_ALARM.contains(function) ? 0 : 1;
            f.require(alarmsPerFunction.getOrDefault(function, 0) == expected,
                    function + " needs " + expected + " Throttles alarm, has " + alarmsPerFunction.getOrDefault(function, 0));
        }
        return f.list();
    }

    /** RDS FreeStorageSpace below 10 % of the instance's allocated storage (GiB, in bytes). */
    static List<String> databaseFreeStorageAlarm(TerraformConfig tf) {
        Found f = new Found();
        Alarm alarm = single(tf, f, "AWS/RDS", "FreeStorageSpace", "the database's free storage");
        if (alarm != null) {
            notifies(tf, f, alarm);
            onTheDatabase(f, alarm);
            f.require(String.valueOf(alarm.body().get("comparison_operator")).startsWith("LessThan"),
                    alarm.address() + " must alarm when free storage falls below the threshold, compares " + alarm.body().get("comparison_operator"));
            Product threshold = Product.of(argument(alarm.source(), "threshold"));
            f.require(threshold.references().equals(List.of("aws_db_instance.main.allocated_storage")),
                    alarm.address() + " threshold must be computed from aws_db_instance.main.allocated_storage, is " + threshold.text());
            f.require(Math.abs(threshold.factor() - 0.1 * 1024 * 1024 * 1024) < 1,
                    alarm.address() + " threshold must be 10 % of the allocated storage in bytes (allocated_storage * 0.1 * 1024 * 1024 * 1024), is "
                            + threshold.text());
            f.require(tf.number(tf.resource("aws_db_instance", "main").orElse(Map.of()).get("allocated_storage")) > 0,
                    "aws_db_instance.main must set allocated_storage");
        }
        return f.list();
    }

    /**
     * RDS DatabaseConnections above 80 % of the max_connections the parameter group sets: above
     * what the functions' reserved concurrency may hold, below the instance's limit.
     */
    static List<String> databaseConnectionsAlarm(TerraformConfig tf) {
        Found f = new Found();
        Alarm alarm = single(tf, f, "AWS/RDS", "DatabaseConnections", "the database's connections");
        if (alarm != null) {
            notifies(tf, f, alarm);
            onTheDatabase(f, alarm);
            above(tf, f, alarm);
            Product threshold = Product.of(argument(alarm.source(), "threshold"));
            String maxConnections = parameterValueText(tf.blockSource("resource", "aws_db_parameter_group", "main"), "max_connections");
            f.require(maxConnections != null && threshold.references().equals(List.of(maxConnections)),
                    alarm.address() + " threshold must be computed from the parameter group's max_connections (" + maxConnections + "), is "
                            + threshold.text());
            f.require(threshold.factor() == 0.8, alarm.address() + " threshold must be 80 % of max_connections, is " + threshold.text());
            double max = maxConnections == null ? Double.NaN : tf.number(new TerraformConfig.Ref(maxConnections));
            double held = map(tf.locals().get("functions")).values().stream().map(TerraformConfig::map)
                    .filter(settings -> Boolean.TRUE.equals(settings.get("in_vpc")))
                    .mapToDouble(settings -> tf.number(settings.get("concurrency"))).sum();
            double value = threshold.factor() * max;
            f.require(value > held && value < max, alarm.address() + " threshold " + value + " must lie above the " + held
                    + " connections the functions may hold and below max_connections " + max);
        }
        return f.list();
    }

    /** ElastiCache Evictions, Sum above 0, on every node of the replication group. */
    static List<String> cacheEvictionsAlarm(TerraformConfig tf) {
        Found f = new Found();
        Alarm alarm = single(tf, f, "AWS/ElastiCache", "Evictions", "the cache's evictions");
        if (alarm != null) {
            notifies(tf, f, alarm);
            f.require("Sum".equals(tf.string(alarm.body().get("statistic"))), alarm.address() + " must sum the evictions");
            above(tf, f, alarm);
            f.require(tf.number(alarm.body().get("threshold")) == 0, alarm.address() + " must alarm on the first eviction (threshold 0)");
            String forEach = refName(alarm.body().get("for_each"));
            String nodes = forEach != null && forEach.startsWith("local.") ? localSource(tf, forEach.substring(6)) : null;
            f.require("each.key".equals(refName(map(alarm.body().get("dimensions")).get("CacheClusterId")))
                            && nodes != null && nodes.contains("aws_elasticache_replication_group.cache.num_cache_clusters"),
                    alarm.address() + " must watch every node of aws_elasticache_replication_group.cache (CacheClusterId = each.key over its"
                            + " num_cache_clusters)");
        }
        return f.list();
    }

    /** The outbox backlog: EMF OldestPendingEventAge of dispatch-events, Maximum above 900 s. */
    static List<String> changeEventsBacklogAlarm(TerraformConfig tf) {
        Found f = new Found();
        Alarm alarm = single(tf, f, tf.string(tf.locals().get("name")), "OldestPendingEventAge", "the change-event backlog's age");
        if (alarm != null) {
            notifies(tf, f, alarm);
            f.require(Map.of("function", "dispatch-events").equals(map(alarm.body().get("dimensions"))),
                    alarm.address() + " must watch the dimension function = \"dispatch-events\", watches " + alarm.body().get("dimensions"));
            f.require("Maximum".equals(tf.string(alarm.body().get("statistic"))), alarm.address() + " must watch the Maximum age");
            above(tf, f, alarm);
            f.require(tf.number(alarm.body().get("threshold")) == 900,
                    alarm.address() + " must alarm above 900 s (docs/alarms.md), alarms above " + alarm.body().get("threshold"));
        }
        return f.list();
    }

    /** One dashboard, its body a jsonencode of widgets that name every required metric. */
    static List<String> theDashboardChartsEveryMetric(TerraformConfig tf) {
        Found f = new Found();
        Map<String, Map<String, Object>> dashboards = tf.resources("aws_cloudwatch_dashboard");
        f.require(dashboards.size() == 1, "expected one aws_cloudwatch_dashboard, found " + dashboards.keySet());
        for (String name : dashboards.keySet()) {
            String resource = tf.blockSource("resource", "aws_cloudwatch_dashboard", name);
            f.require(resource.contains("dashboard_body = jsonencode("), "aws_cloudwatch_dashboard." + name + " must build its body with jsonencode");
            String source = withoutComments(resource + "\n" + localsReferencedBy(tf, resource));
            DASHBOARD_METRICS.forEach((namespace, metrics) -> {
                String expected = namespace.equals("EMF") ? "local.metrics_namespace" : "\"" + namespace + "\"";
                f.require(source.contains(expected), "the dashboard must chart metrics of " + expected);
                for (String metric : metrics) {
                    // As a string of a metric array, or as a map key (the dependency metrics).
                    f.require(source.contains("\"" + metric + "\"") || Pattern.compile("(?m)^\\s*" + Pattern.quote(metric) + "\\s*=").matcher(source).find(),
                            "the dashboard must chart " + namespace + " " + metric);
                }
            });
            f.require(source.contains("stat = \"p50\"") && source.contains("stat = \"p99\""), "the dashboard must chart the API latency p50 and p99");
            f.require(source.contains("expression = \"100 * (l1 + l2) / requests\""),
                    "the dashboard must chart the cache hit ratio (CacheL1Hits + CacheL2Hits) / Requests as metric math");
        }
        return f.list();
    }

    /** The saved queries: cold starts per function from the REPORT lines, and one request by its id. */
    static List<String> theLogsInsightsQueriesAreSaved(TerraformConfig tf) {
        Found f = new Found();
        Map<String, Map<String, Object>> queries = tf.resources("aws_cloudwatch_query_definition");
        boolean coldStarts = queries.values().stream().anyMatch(q -> {
            String text = String.valueOf(tf.resolve(q.get("query_string")));
            return list(q.get("log_group_names")).equals(List.of(new TerraformConfig.Ref("aws_cloudwatch_log_group.functions.name")))
                    && text.contains("@type = \"REPORT\"") && text.contains("@initDuration > 0") && text.contains("by function");
        });
        f.require(coldStarts, "no saved query counting cold starts per function (@type = \"REPORT\" and @initDuration > 0) over"
                + " aws_cloudwatch_log_group.functions");
        boolean request = queries.values().stream().anyMatch(q ->
                list(q.get("log_group_names")).contains(new TerraformConfig.Ref("aws_cloudwatch_log_group.functions.name"))
                        && String.valueOf(tf.resolve(q.get("query_string"))).contains("filter requestId = "));
        f.require(request, "no saved query finding one request's lines by requestId in aws_cloudwatch_log_group.functions");
        return f.list();
    }

    /** docs/alarms.md names every alarm of the stack. */
    static List<String> everyAlarmIsDocumented(TerraformConfig tf, String doc) {
        Found f = new Found();
        tf.resources("aws_cloudwatch_metric_alarm").forEach((name, body) -> {
            String alarmName = argument(tf.blockSource("resource", "aws_cloudwatch_metric_alarm", name), "alarm_name");
            String shown = alarmName == null ? name : alarmName.replace("\"", "")
                    .replace("${local.name}", String.valueOf(tf.locals().get("name")))
                    .replace("${each.key}", body.get("for_each") != null && alarmName.contains("cache") ? "<node>" : "<function>");
            f.require(doc.contains("`" + shown + "`"), "docs/alarms.md must describe the alarm `" + shown + "`");
        });
        return f.list();
    }

    // --- helpers ---

    private static Alarm single(TerraformConfig tf, Found f, String namespace, String metric, String what) {
        List<Alarm> alarms = alarmsOn(tf, namespace, metric);
        f.require(alarms.size() == 1, "expected one alarm on " + what + " (" + namespace + " " + metric + "), found "
                + alarms.stream().map(Alarm::name).toList());
        return alarms.size() == 1 ? alarms.get(0) : null;
    }

    private static void notifies(TerraformConfig tf, Found f, Alarm alarm) {
        TerraformConfig.Ref topic = new TerraformConfig.Ref(TOPIC);
        f.require(list(alarm.body().get("alarm_actions")).contains(topic), alarm.address() + " must send its alarm to " + TOPIC);
        f.require(list(alarm.body().get("ok_actions")).contains(topic), alarm.address() + " must send its recovery (ok_actions) to " + TOPIC);
        f.require(MISSING_DATA.contains(tf.string(alarm.body().get("treat_missing_data"))),
                alarm.address() + " must choose treat_missing_data deliberately, has " + alarm.body().get("treat_missing_data"));
    }

    private static void above(TerraformConfig tf, Found f, Alarm alarm) {
        f.require(String.valueOf(tf.string(alarm.body().get("comparison_operator"))).startsWith("GreaterThan"),
                alarm.address() + " must alarm above its threshold, compares " + alarm.body().get("comparison_operator"));
    }

    private static void onTheApiStage(Found f, Alarm alarm) {
        Map<String, Object> dimensions = map(alarm.body().get("dimensions"));
        f.require("aws_api_gateway_rest_api.api.name".equals(refName(dimensions.get("ApiName")))
                        && "aws_api_gateway_stage.live.stage_name".equals(refName(dimensions.get("Stage")))
                        && dimensions.size() == 2,
                alarm.address() + " must watch the REST API and its stage (ApiName, Stage), watches " + dimensions);
    }

    private static void onTheDatabase(Found f, Alarm alarm) {
        f.require("aws_db_instance.main.identifier".equals(refName(map(alarm.body().get("dimensions")).get("DBInstanceIdentifier"))),
                alarm.address() + " must watch aws_db_instance.main");
    }

    /** The functions an alarm on AWS/Lambda watches: one by name, or each of a for_each the rule can read. */
    private static Set<String> functionsOf(TerraformConfig tf, Found f, Alarm alarm) {
        Matcher one = ONE_FUNCTION.matcher(alarm.source());
        if (one.find()) {
            return Set.of(one.group(1));
        }
        String forEach = refName(alarm.body().get("for_each"));
        f.require(alarm.source().contains(EACH_FUNCTION) && forEach != null,
                alarm.address() + " must name its function as aws_lambda_function.function[...].function_name");
        if (forEach == null) {
            return Set.of();
        }
        if (forEach.equals("local.functions")) {
            return functionNames(tf);
        }
        String expression = forEach.startsWith("local.") ? localSource(tf, forEach.substring(6)) : null;
        if (API_FUNCTIONS.equals(expression)) {
            return apiFunctions(tf);
        }
        if (ALL_BUT_THE_DISPATCHER.equals(expression)) {
            Set<String> all = new TreeSet<>(functionNames(tf));
            all.remove("dispatch-events");
            return all;
        }
        f.require(false, alarm.address() + " iterates " + forEach + " = " + expression + ", which the rule cannot read");
        return Set.of();
    }

    static Set<String> functionNames(TerraformConfig tf) {
        return new TreeSet<>(map(tf.locals().get("functions")).keySet());
    }

    static Set<String> apiFunctions(TerraformConfig tf) {
        return map(tf.locals().get("routes")).values().stream().map(route -> String.valueOf(map(route).get("function")))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The expression text of {@code name = ...} on one line of a block's source; null when absent. */
    static String argument(String source, String name) {
        Matcher matcher = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "\\s*=\\s*(.+?)\\s*$").matcher(source);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** The expression of a local value as written, over as many lines as its brackets take; null when absent. */
    static String localSource(TerraformConfig tf, String name) {
        Pattern start = Pattern.compile("(?m)^  " + Pattern.quote(name) + "\\s*=\\s*");
        for (String text : tf.sources().files().values()) {
            for (String block : topLevelBlocks(text, "locals {")) {
                Matcher matcher = start.matcher(block);
                if (!matcher.find()) {
                    continue;
                }
                int depth = 0;
                for (int i = matcher.end(); i < block.length(); i++) {
                    char c = block.charAt(i);
                    if (c == '(' || c == '[' || c == '{') {
                        depth++;
                    } else if (c == ')' || c == ']' || c == '}') {
                        depth--;
                    } else if (c == '\n' && depth <= 0) {
                        return block.substring(matcher.end(), i).strip();
                    }
                }
                return null;
            }
        }
        return null;
    }

    /** The value text of {@code parameter { name = "x" value = ... }} in a parameter group's source. */
    private static String parameterValueText(String source, String parameter) {
        Matcher matcher = Pattern.compile("name\\s*=\\s*\"" + Pattern.quote(parameter) + "\"\\s*\\n\\s*value\\s*=\\s*(\\S+)").matcher(source);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** The locals blocks that define a local the text names as local.x (one level deep, then theirs). */
    private static String localsReferencedBy(TerraformConfig tf, String text) {
        StringBuilder found = new StringBuilder();
        Set<String> seen = new TreeSet<>();
        List<String> pending = new ArrayList<>(List.of(text));
        while (!pending.isEmpty()) {
            Matcher matcher = Pattern.compile("local\\.([a-z_]+)").matcher(pending.remove(0));
            while (matcher.find()) {
                for (String file : tf.sources().files().values()) {
                    for (String block : topLevelBlocks(file, "locals {")) {
                        if (Pattern.compile("(?m)^  " + matcher.group(1) + "\\s*=").matcher(block).find() && seen.add(block)) {
                            found.append(block).append('\n');
                            pending.add(block);
                        }
                    }
                }
            }
        }
        return found.toString();
    }

    private static List<String> topLevelBlocks(String text, String header) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(header)).matcher(text);
        while (matcher.find()) {
            int depth = 0;
            for (int i = matcher.end() - 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    blocks.add(text.substring(matcher.start(), i + 1));
                    break;
                }
            }
        }
        return blocks;
    }

    private static String withoutComments(String source) {
        return source.lines().filter(line -> !line.strip().startsWith("#")).collect(Collectors.joining("\n"));
    }

    /** A threshold written as a product of references and numbers, such as {@code var.x * 0.8}. */
    record Product(String text, double factor, List<String> references) {

        static Product of(String text) {
            if (text == null) {
                return new Product("(none)", Double.NaN, List.of());
            }
            double factor = 1;
            List<String> references = new ArrayList<>();
            for (String term : text.split("\\*")) {
                String t = term.strip();
                if (NUMBER.matcher(t).matches()) {
                    factor *= Double.parseDouble(t);
                } else {
                    references.add(t);
                }
            }
            return new Product(text, factor, references);
        }
    }

    private static Map<String, List<String>> dashboardMetrics() {
        Map<String, List<String>> metrics = new LinkedHashMap<>();
        metrics.put("AWS/ApiGateway", List.of("Count", "4XXError", "5XXError", "Latency"));
        metrics.put("AWS/Lambda", List.of("Duration", "ConcurrentExecutions", "Errors", "Throttles"));
        metrics.put("AWS/RDS", List.of("CPUUtilization", "FreeStorageSpace", "DatabaseConnections"));
        metrics.put("AWS/ElastiCache", List.of("DatabaseMemoryUsagePercentage", "Evictions"));
        metrics.put("EMF", List.of("CacheL1Hits", "CacheL2Hits", "Requests", "DatabaseTime", "StorageTime", "CacheTime", "SecretsTime",
                "OldestPendingEventAge"));
        return metrics;
    }

    /** Collects the findings of one rule. */
    private static final class Found {
        private final List<String> found = new ArrayList<>();

        void require(boolean holds, String finding) {
            if (!holds) {
                found.add(finding);
            }
        }

        List<String> list() {
            return List.copyOf(found);
        }
    }
}
