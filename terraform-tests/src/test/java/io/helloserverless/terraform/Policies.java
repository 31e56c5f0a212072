package io.helloserverless.terraform;

import static io.helloserverless.terraform.TerraformConfig.list;
import static io.helloserverless.terraform.TerraformConfig.map;
import static io.helloserverless.terraform.TerraformConfig.nested;
import static io.helloserverless.terraform.TerraformConfig.refName;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules, each returning what it finds wrong (empty when the configuration meets it). A rule
 * first checks that what it inspects exists, in the number expected, so that a renamed or
 * missing block is reported instead of making the rule pass on nothing.
 */
final class Policies {

    /** How aws_lambda_function.function places a function in the VPC: the egress subnets and group, or the private ones. */
    static final String SUBNETS_OF_A_FUNCTION =
            "subnet_ids         = each.value.egress ? [for subnet in aws_subnet.egress : subnet.id] : [for subnet in aws_subnet.private : subnet.id]";
    static final String SECURITY_GROUPS_OF_A_FUNCTION =
            "security_group_ids = [each.value.egress ? aws_security_group.dispatch_events.id : aws_security_group.functions.id]";

    private static final Pattern RESOURCE_HEADER = Pattern.compile("(?m)^resource \"([a-z0-9_]+)\" \"");

    private static final Pattern DAILY_CRON = Pattern.compile("cron\\(\\d{1,2} \\d{1,2} \\* \\* \\? \\*\\)|rate\\(1 day\\)");

    private Policies() {
    }

    /** R1: HTTPS only, TLS 1.2 or stricter, through the custom domain; execute-api disabled. */
    static List<String> httpsOnlyThroughTheCustomDomain(TerraformConfig tf) {
        Findings f = new Findings();
        Map<String, Map<String, Object>> apis = tf.resources("aws_api_gateway_rest_api");
        Map<String, Map<String, Object>> domains = tf.resources("aws_api_gateway_domain_name");
        f.require(apis.size() == 1, "expected exactly one aws_api_gateway_rest_api, found " + apis.keySet());
        f.require(domains.size() == 1, "expected exactly one aws_api_gateway_domain_name, found " + domains.keySet());
        apis.forEach((name, api) -> {
            f.require(tf.isTrue(api.get("disable_execute_api_endpoint")),
                    "aws_api_gateway_rest_api." + name + " must set disable_execute_api_endpoint = true");
            f.require(regional(tf, api), "aws_api_gateway_rest_api." + name + " must be REGIONAL");
        });
        domains.forEach((name, domain) -> {
            String policy = tf.string(domain.get("security_policy"));
            f.require(policy != null && (policy.equals("TLS_1_2") || policy.startsWith("SecurityPolicy_TLS13")),
                    "aws_api_gateway_domain_name." + name + " security_policy must be TLS_1_2 or stricter, is " + policy);
            f.require(regional(tf, domain), "aws_api_gateway_domain_name." + name + " must be REGIONAL");
            f.require(domain.get("regional_certificate_arn") != null,
                    "aws_api_gateway_domain_name." + name + " needs a regional_certificate_arn");
        });
        Map<String, Map<String, Object>> mappings = tf.resources("aws_api_gateway_base_path_mapping");
        f.require(mappings.size() == 1, "expected one aws_api_gateway_base_path_mapping, found " + mappings.keySet());
        mappings.values().forEach(mapping -> f.require(
                startsWith(mapping.get("api_id"), "aws_api_gateway_rest_api.")
                        && startsWith(mapping.get("domain_name"), "aws_api_gateway_domain_name."),
                "the base path mapping must join the REST API to the custom domain"));
        return f.list();
    }

    /** R5: every object expires 30 days after it is written; so do old versions and uploads. */
    static List<String> filesExpireThirtyDaysAfterTheyAreWritten(TerraformConfig tf) {
        Findings f = new Findings();
        Optional<Map<String, Object>> lifecycle = tf.resource("aws_s3_bucket_lifecycle_configuration", "files");
        f.require(tf.resource("aws_s3_bucket", "files").isPresent(), "aws_s3_bucket.files is missing");
        f.require(lifecycle.isPresent(), "aws_s3_bucket_lifecycle_configuration.files is missing");
        lifecycle.ifPresent(config -> {
            f.require("aws_s3_bucket.files.id".equals(refName(config.get("bucket"))),
                    "the lifecycle configuration must apply to aws_s3_bucket.files");
            List<Map<String, Object>> wholeBucket = nested(config, "rule").stream()
                    .filter(rule -> "Enabled".equals(tf.string(rule.get("status"))))
                    .filter(rule -> nested(rule, "filter").size() == 1 && nested(rule, "filter").get(0).isEmpty())
                    .toList();
            f.require(wholeBucket.stream().anyMatch(rule -> nested(rule, "expiration").stream()
                            .anyMatch(e -> tf.number(e.get("days")) == 30)),
                    "no enabled whole-bucket rule expires objects after 30 days");
            f.require(wholeBucket.stream().anyMatch(rule -> nested(rule, "abort_incomplete_multipart_upload").stream()
                            .anyMatch(a -> tf.number(a.get("days_after_initiation")) <= 30)),
                    "no enabled whole-bucket rule aborts incomplete multipart uploads");
            boolean versioned = tf.resource("aws_s3_bucket_versioning", "files").stream()
                    .flatMap(v -> nested(v, "versioning_configuration").stream())
                    .anyMatch(v -> !"Disabled".equals(tf.string(v.get("status"))) && !"Suspended".equals(tf.string(v.get("status"))));
            f.require(!versioned || wholeBucket.stream().anyMatch(rule -> nested(rule, "noncurrent_version_expiration").stream()
                            .anyMatch(n -> tf.number(n.get("noncurrent_days")) <= 30)),
                    "the bucket is versioned but no enabled whole-bucket rule expires noncurrent versions within 30 days");
        });
        return f.list();
    }

    /** R6: a daily schedule runs the synthetic check; its failure or absence alarms by e-mail. */
    static List<String> aDailySyntheticCheckAlarmsOnFailure(TerraformConfig tf) {
        Findings f = new Findings();
        Map<String, Object> functions = map(tf.locals().get("functions"));
        f.require(functions.containsKey("synthetic-check") && functions.containsKey("health"),
                "local.functions must hold the health and synthetic-check functions");
        Map<String, Object> routes = map(tf.locals().get("routes"));
        f.require(routes.values().stream().map(TerraformConfig::map).anyMatch(r -> "GET".equals(r.get("method"))
                        && "/v1/health".equals(r.get("path")) && "health".equals(r.get("function"))),
                "no route GET /v1/health to the health function");
        scheduledDaily(tf, f, "synthetic_check", "synthetic-check");
        scheduledDaily(tf, f, "purge_expired", "purge-expired");
        Map<String, Object> env = map(map(tf.locals().get("env_groups")).get("api"));
        f.require(env.containsKey("API_BASE_URL"), "the synthetic check needs API_BASE_URL");
        f.require(list(map(functions.get("synthetic-check")).get("uses")).contains("api"),
                "the synthetic check must use the api environment group");

        long alarmsOnTheCheck = tf.resources("aws_cloudwatch_metric_alarm").keySet().stream()
                .filter(name -> tf.blockSource("resource", "aws_cloudwatch_metric_alarm", name)
                        .contains("aws_lambda_function.function[\"synthetic-check\"].function_name"))
                .filter(name -> alarmsTheTopic(tf, name))
                .map(name -> tf.string(tf.resources("aws_cloudwatch_metric_alarm").get(name).get("metric_name")))
                .filter(metric -> "Errors".equals(metric) || "Invocations".equals(metric))
                .distinct().count();
        f.require(alarmsOnTheCheck == 2,
                "the synthetic check needs an alarm on its Errors and one on missing Invocations, both to aws_sns_topic.alarms");
        f.require(tf.resources("aws_sns_topic_subscription").values().stream().anyMatch(s ->
                        "email".equals(tf.string(s.get("protocol"))) && "var.alarm_email".equals(refName(s.get("endpoint")))
                                && "aws_sns_topic.alarms.arn".equals(refName(s.get("topic_arn")))),
                "aws_sns_topic.alarms needs an e-mail subscription to var.alarm_email");
        return f.list();
    }

    /** R7: one central JSON log group for the functions; every log group keeps exactly 7 days. */
    static List<String> everyLogGroupKeepsSevenDays(TerraformConfig tf) {
        Findings f = new Findings();
        Map<String, Map<String, Object>> groups = tf.resources("aws_cloudwatch_log_group");
        f.require(groups.keySet().equals(Expected.LOG_GROUPS),
                "log groups must be exactly " + new TreeSet<>(Expected.LOG_GROUPS) + ", are " + groups.keySet());
        groups.forEach((name, group) -> f.require(tf.number(group.get("retention_in_days")) == 7,
                "aws_cloudwatch_log_group." + name + " must keep 7 days, keeps " + tf.resolve(group.get("retention_in_days"))));

        Map<String, Object> db = tf.resource("aws_db_instance", "main").orElse(Map.of());
        String dbIdentifier = tf.string(db.get("identifier"));
        List<Object> exports = list(db.get("enabled_cloudwatch_logs_exports"));
        f.require(!exports.isEmpty(), "aws_db_instance.main exports no log to CloudWatch");
        for (Object export : exports) {
            String expected = "/aws/rds/instance/" + dbIdentifier + "/" + export;
            f.require(groups.values().stream().anyMatch(g -> expected.equals(tf.string(g.get("name")))),
                    "no log group " + expected + " for the database's " + export + " log");
        }
        f.require(list(db.get("depends_on")).size() == exports.size(),
                "aws_db_instance.main must depend on its log groups, so that they exist before RDS writes");

        List<Map<String, Object>> deliveries = nested(tf.resource("aws_elasticache_replication_group", "cache").orElse(Map.of()),
                "log_delivery_configuration");
        f.require(deliveries.size() == 2, "the cache must deliver its slow and engine logs");
        deliveries.forEach(d -> f.require("cloudwatch-logs".equals(tf.string(d.get("destination_type")))
                        && startsWith(d.get("destination"), "aws_cloudwatch_log_group."),
                "cache log delivery must go to a log group of the stack"));

        Map<String, Object> stage = tf.resource("aws_api_gateway_stage", "live").orElse(Map.of());
        f.require(nested(stage, "access_log_settings").stream()
                        .anyMatch(a -> "aws_cloudwatch_log_group.api_access.arn".equals(refName(a.get("destination_arn")))),
                "the API stage must write access logs to aws_cloudwatch_log_group.api_access");
        String executionLogs = "API-Gateway-Execution-Logs_aws_api_gateway_rest_api.api.id/" + tf.string(stage.get("stage_name"));
        f.require(groups.values().stream().anyMatch(g -> executionLogs.equals(tf.string(g.get("name")))),
                "no log group " + executionLogs + " for the API's execution logs");

        Map<String, Object> function = tf.resource("aws_lambda_function", "function").orElse(Map.of());
        List<Map<String, Object>> logging = nested(function, "logging_config");
        f.require(logging.size() == 1 && "JSON".equals(tf.string(logging.get(0).get("log_format")))
                        && "aws_cloudwatch_log_group.functions.name".equals(refName(logging.get(0).get("log_group"))),
                "every function must log JSON to aws_cloudwatch_log_group.functions");
        return f.list();
    }

    /** R8: exactly the actions each function uses, on the stack's own resources. */
    static List<String> eachFunctionHasExactlyItsOwnRights(TerraformConfig tf) {
        Findings f = new Findings();
        Map<String, Object> policies = map(tf.locals().get("function_policies"));
        f.require(policies.keySet().equals(Expected.FUNCTIONS.keySet()),
                "local.function_policies must name one policy per function, names " + policies.keySet());
        for (String function : Expected.FUNCTIONS.keySet()) {
            String document = function.replace('-', '_');
            f.require(("data.aws_iam_policy_document." + document + ".json").equals(refName(policies.get(function))),
                    function + " must use data.aws_iam_policy_document." + document);
            List<Map<String, Object>> statements = statements(tf, document);
            f.require(!statements.isEmpty(), "data.aws_iam_policy_document." + document + " is missing or empty");
            Set<String> actions = new TreeSet<>();
            for (Map<String, Object> statement : statements) {
                f.require(!"Deny".equals(tf.string(statement.get("effect"))), document + " should only allow");
                list(statement.get("actions")).forEach(a -> actions.add(String.valueOf(a)));
                for (Object resource : list(statement.get("resources"))) {
                    String name = resource instanceof String s ? s : refName(resource);
                    f.require(name != null && ownResource(name),
                            function + " may act on the stack's own resources only, not " + resource);
                }
            }
            f.require(actions.equals(new TreeSet<>(Expected.ACTIONS.get(function))),
                    function + " must allow exactly " + new TreeSet<>(Expected.ACTIONS.get(function)) + ", allows " + actions);
            f.require(!actions.contains("s3:GetObject") || statements.stream().anyMatch(statement ->
                            list(statement.get("actions")).contains("s3:ListBucket")
                                    && list(statement.get("resources")).stream().anyMatch(r -> "aws_s3_bucket.files.arn".equals(refName(r)))),
                    function + " reads objects, so it needs s3:ListBucket on the bucket: without it S3 answers 403, not 404, for a missing key");
            for (Map<String, Object> statement : statements) {
                List<Object> stated = list(statement.get("actions"));
                f.require(!stated.contains("s3:ListBucket") || (stated.size() == 1 && list(statement.get("resources")).stream()
                                .map(r -> r instanceof String s ? s : refName(r)).toList().equals(List.of("aws_s3_bucket.files.arn"))),
                        function + " must be given s3:ListBucket alone in its statement and on the bucket aws_s3_bucket.files.arn,"
                                + " not on its objects (where it grants nothing)");
            }
        }
        Map<String, Object> rolePolicy = tf.resource("aws_iam_role_policy", "function").orElse(Map.of());
        f.require("local.functions".equals(refName(rolePolicy.get("for_each"))),
                "aws_iam_role_policy.function must give each function its own policy");
        return f.list();
    }

    /** R8: consumers are authorised per route: read-only may GET and HEAD, read-write all. */
    static List<String> consumersAreAuthorisedPerRoute(TerraformConfig tf) {
        Findings f = new Findings();
        Map<String, Object> routes = map(tf.locals().get("routes"));
        f.require(routes.size() == Expected.ROUTES.size(), "local.routes must hold the " + Expected.ROUTES.size() + " routes");
        Set<String> readOnly = routeIds(tf, f, "consumer_read_only");
        Set<String> readWrite = routeIds(tf, f, "consumer_read_write");
        Set<String> reads = new TreeSet<>();
        routes.forEach((id, route) -> {
            if (Expected.READ_ONLY_METHODS.contains(map(route).get("method"))) {
                reads.add(id);
            }
        });
        f.require(readOnly.equals(reads), "the read-only consumer must invoke exactly the GET and HEAD routes "
                + reads + ", invokes " + readOnly);
        f.require(readWrite.equals(new TreeSet<>(routes.keySet())),
                "the read-write consumer must invoke every route, invokes " + readWrite);
        for (String consumer : List.of("consumer_read_only", "consumer_read_write")) {
            Map<String, Object> attached = tf.resource("aws_iam_role_policy", consumer).orElse(Map.of());
            f.require(("data.aws_iam_policy_document." + consumer + ".json").equals(refName(attached.get("policy")))
                            && ("aws_iam_role." + consumer + ".id").equals(refName(attached.get("role"))),
                    "aws_iam_role." + consumer + " must carry data.aws_iam_policy_document." + consumer);
        }
        return f.list();
    }

    /** R9: private, TLS-only PostgreSQL, reachable on 5432 from the functions' security group alone. */
    static List<String> theDatabaseIsReachableOnlyFromTheFunctions(TerraformConfig tf) {
        Findings f = new Findings();
        Map<String, Map<String, Object>> instances = tf.resources("aws_db_instance");
        f.require(instances.keySet().equals(Set.of("main")), "expected aws_db_instance.main alone, found " + instances.keySet());
        Map<String, Object> db = instances.getOrDefault("main", Map.of());
        f.require("postgres".equals(tf.string(db.get("engine"))), "the database must be PostgreSQL");
        f.require(tf.number(db.get("engine_version")) >= 10, "PostgreSQL must be 10 or newer");
        f.require(Boolean.FALSE.equals(tf.resolve(db.get("publicly_accessible"))), "publicly_accessible must be false");
        f.require(tf.isTrue(db.get("storage_encrypted")), "storage_encrypted must be true");
        f.require(tf.isTrue(db.get("deletion_protection")), "deletion_protection must be true");
        f.require(tf.number(db.get("backup_retention_period")) >= 1, "backups must be kept");
        f.require(tf.isTrue(db.get("manage_master_user_password")) && db.get("password") == null,
                "RDS must manage the master password (manage_master_user_password = true, no password)");
        f.require(List.of(new TerraformConfig.Ref("aws_security_group.database.id")).equals(db.get("vpc_security_group_ids")),
                "the database must be in aws_security_group.database alone");
        f.require("aws_db_subnet_group.main.name".equals(refName(db.get("db_subnet_group_name"))),
                "the database must use aws_db_subnet_group.main");

        Map<String, Object> parameters = tf.resource("aws_db_parameter_group", "main").orElse(Map.of());
        f.require("aws_db_parameter_group.main.name".equals(refName(db.get("parameter_group_name"))),
                "the database must use aws_db_parameter_group.main");
        f.require("1".equals(parameter(tf, parameters, "rds.force_ssl")), "rds.force_ssl must be 1");

        // The functions' security groups: the shared one, and the dispatcher's own (it alone has a route out).
        Set<String> functionGroups = Set.of("aws_security_group.functions.id", "aws_security_group.dispatch_events.id");
        List<Map<String, Object>> ingress = ingressTo(tf, "aws_security_group.database.id");
        f.require(ingress.size() == functionGroups.size(), "the database security group must have exactly one ingress rule per"
                + " function security group " + new TreeSet<>(functionGroups) + ", has " + ingress.size());
        f.require(ingress.stream().map(rule -> refName(rule.get("referenced_security_group_id"))).collect(java.util.stream.Collectors.toSet())
                        .equals(functionGroups),
                "database ingress must come from " + new TreeSet<>(functionGroups) + " only");
        ingress.forEach(rule -> {
            f.require(functionGroups.contains(refName(rule.get("referenced_security_group_id"))),
                    "database ingress must come from the functions' security groups only");
            f.require(rule.get("cidr_ipv4") == null && rule.get("cidr_ipv6") == null && rule.get("prefix_list_id") == null,
                    "database ingress must not name an address range");
            f.require(tf.number(rule.get("from_port")) == 5432 && tf.number(rule.get("to_port")) == 5432,
                    "database ingress must be port 5432 only");
        });
        f.addAll(theNetworkHasNoPublicPath(tf));
        return f.list();
    }

    /**
     * R9: the functions verify the database's certificate (verify-full) against AWS's RDS CA
     * bundle, which the deploy workflow fetches and checks and every database function carries
     * as a layer at the path DB_SSLROOTCERT names. Without the bundle pgjdbc cannot open a root
     * certificate and every database call fails.
     */
    static List<String> databaseTlsIsVerifiedAgainstTheShippedCa(TerraformConfig tf, Sources workflows, String layerScript) {
        Findings f = new Findings();
        Map<String, Object> db = map(map(tf.locals().get("env_groups")).get("db"));
        f.require("verify-full".equals(tf.string(db.get("DB_SSLMODE"))), "env_groups.db must set DB_SSLMODE = \"verify-full\"");
        String rootCert = tf.string(db.get("DB_SSLROOTCERT"));
        f.require(rootCert != null && rootCert.startsWith("/opt/"),
                "env_groups.db must set DB_SSLROOTCERT to the RDS CA bundle in a layer (under /opt/), has " + rootCert);
        String function = tf.blockSource("resource", "aws_lambda_function", "function");
        f.require(function.contains("layers = contains(each.value.uses, \"db\") ? [aws_lambda_layer_version.rds_ca.arn] : []"),
                "every function that uses the database must carry the RDS CA layer");
        String layer = tf.blockSource("resource", "aws_lambda_layer_version", "rds_ca");
        f.require(layer.contains("rds-ca-layer.zip"), "aws_lambda_layer_version.rds_ca must deploy rds-ca-layer.zip");
        String deploy = workflows.files().getOrDefault("deploy.yml", "");
        f.require(deploy.contains(".github/scripts/rds-ca-layer.sh adapters-lambda/target/functions/rds-ca-layer.zip"),
                "deploy.yml must build the RDS CA layer with .github/scripts/rds-ca-layer.sh");
        if (rootCert != null && rootCert.startsWith("/opt/")) {
            String inLayer = rootCert.substring("/opt/".length());
            f.require(layerScript.contains("bundle=\"$work/" + inLayer + "\""),
                    "rds-ca-layer.sh must pack the bundle at " + inLayer + ", where DB_SSLROOTCERT looks for it");
        }
        return f.list();
    }

    /** R9 and ADR 0003: direct connections are capped by reserved concurrency below max_connections. */
    static List<String> databaseConnectionsFitTheInstance(TerraformConfig tf) {
        Findings f = new Findings();
        Map<String, Object> functions = map(tf.locals().get("functions"));
        f.require(functions.keySet().equals(Expected.FUNCTIONS.keySet()), "local.functions must hold " + Expected.FUNCTIONS.keySet());
        double connections = 0;
        for (Map.Entry<String, Object> function : functions.entrySet()) {
            Map<String, Object> settings = map(function.getValue());
            double concurrency = tf.number(settings.get("concurrency"));
            f.require(concurrency >= 1, function.getKey() + " needs a reserved concurrency");
            if (Boolean.TRUE.equals(settings.get("in_vpc"))) {
                connections += concurrency;
            }
        }
        double headroom = tf.number(tf.locals().get("db_connection_headroom"));
        double max = tf.number(tf.variableDefault("db_max_connections"));
        f.require(headroom >= 1 && connections + headroom <= max,
                "functions may hold " + connections + " connections plus " + headroom + " headroom, above max_connections " + max);
        Map<String, Object> parameters = tf.resource("aws_db_parameter_group", "main").orElse(Map.of());
        f.require(max == tf.number(parameter(tf, parameters, "max_connections")),
                "the parameter group must set max_connections to var.db_max_connections");
        f.require(tf.blockSource("resource", "aws_db_parameter_group", "main").contains("precondition"),
                "aws_db_parameter_group.main must hold the precondition that enforces the budget at plan time");
        return f.list();
    }

    /** R10: no secret in an environment variable or the state; each role reads only its secrets. */
    static List<String> noSecretValueInEnvironmentOrState(TerraformConfig tf) {
        Findings f = new Findings();
        Map<String, Object> common = map(tf.locals().get("env_common"));
        Map<String, Object> groups = map(tf.locals().get("env_groups"));
        f.require(common.containsKey("LOG_LEVEL") && groups.containsKey("db"), "local.env_common or local.env_groups is missing");
        Map<String, Object> all = new java.util.TreeMap<>(common);
        groups.values().forEach(group -> all.putAll(map(group)));
        all.forEach((name, value) -> {
            boolean secretArn = name.endsWith("_SECRET_ARN");
            f.require(secretArn || !name.matches(".*(PASSWORD|PASSWD|TOKEN|SECRET|CREDENTIAL|API_KEY|AUTH).*"),
                    "environment variable " + name + " looks like a secret value");
            f.require(!secretArn || secretArnReference(value), name + " must reference a secret's ARN, not " + value);
        });

        tf.resources("aws_secretsmanager_secret_version").forEach((name, version) -> {
            f.require(version.get("secret_string") == null && version.get("secret_binary") == null,
                    "aws_secretsmanager_secret_version." + name + " must use secret_string_wo, not a value kept in state");
            f.require(tf.blockSource("resource", "aws_secretsmanager_secret_version", name).contains("ephemeral."),
                    "aws_secretsmanager_secret_version." + name + " must take its value from an ephemeral resource");
        });
        f.require(tf.resources("aws_secretsmanager_secret_version").size() == 2,
                "expected the two generated secrets' write-only versions (db_runtime, cache)");
        f.require(tf.resource("aws_secretsmanager_secret", "api_key").isPresent()
                        && !tf.resources("aws_secretsmanager_secret_version").containsKey("api_key"),
                "the API key secret must exist and get its value out of band");
        f.require(tf.resources("random_password").isEmpty(), "random_password must be ephemeral, never a managed resource");
        tf.resources("aws_elasticache_user").forEach((name, user) -> f.require(
                user.get("passwords") == null && user.get("passwords_wo") != null,
                "aws_elasticache_user." + name + " must set its password with passwords_wo"));
        tf.resources("aws_elasticache_replication_group").forEach((name, group) -> f.require(group.get("auth_token") == null,
                "aws_elasticache_replication_group." + name + " must not keep an auth_token in state"));
        tf.resources("aws_db_instance").forEach((name, db) -> f.require(db.get("password") == null,
                "aws_db_instance." + name + " must not keep a password in state"));

        Map<String, Object> functions = map(tf.locals().get("functions"));
        f.require(!functions.isEmpty(), "local.functions is missing");
        functions.forEach((function, settings) -> {
            Set<String> expected = new TreeSet<>();
            for (Object group : list(map(settings).get("uses"))) {
                f.require(groups.containsKey(String.valueOf(group)), function + " uses unknown group " + group);
                Optional.ofNullable(Expected.SECRET_OF_GROUP.get(String.valueOf(group))).ifPresent(expected::add);
            }
            Set<String> readable = new TreeSet<>();
            for (Map<String, Object> statement : statements(tf, function.replace('-', '_'))) {
                if (list(statement.get("actions")).contains("secretsmanager:GetSecretValue")) {
                    list(statement.get("resources")).forEach(r -> readable.add(String.valueOf(refName(r))));
                }
            }
            f.require(readable.equals(expected), function + " must read exactly the secrets it is given "
                    + expected + ", may read " + readable);
        });
        return f.list();
    }

    /** R12: remote state in S3 with a lock file; current Terraform and AWS provider. */
    static List<String> stateIsRemoteAndLocked(TerraformConfig tf) {
        Findings f = new Findings();
        List<Map<String, Object>> backends = tf.terraformBlocks().stream()
                .flatMap(t -> nested(t, "backend").stream()).toList();
        f.require(backends.size() == 1, "expected one backend block, found " + backends.size());
        backends.forEach(b -> {
            Map<String, Object> s3 = map(b.get("s3"));
            f.require(!s3.isEmpty(), "the backend must be s3");
            f.require(tf.isTrue(s3.get("use_lockfile")), "the s3 backend must set use_lockfile = true");
            f.require(tf.isTrue(s3.get("encrypt")), "the s3 backend must encrypt the state");
            f.require(s3.get("dynamodb_table") == null, "locking uses the S3 lock file, not DynamoDB");
        });
        f.addAll(currentVersions(tf));
        return f.list();
    }

    /** R12: the bootstrap's roles trust GitHub's OIDC tokens from main of one repository only. */
    static List<String> deploymentTrustsOnlyMainOfThisRepository(TerraformConfig bootstrap) {
        Findings f = new Findings();
        f.addAll(currentVersions(bootstrap));
        Map<String, Object> provider = bootstrap.resource("aws_iam_openid_connect_provider", "github").orElse(Map.of());
        f.require("https://token.actions.githubusercontent.com".equals(bootstrap.string(provider.get("url")))
                        || "https://local.oidc_host".equals(provider.get("url")),
                "the OIDC provider must be GitHub's");
        f.require(list(provider.get("client_id_list")).equals(List.of("sts.amazonaws.com")),
                "the OIDC provider's audience must be sts.amazonaws.com");
        List<Map<String, Object>> trust = nested(bootstrap.data("aws_iam_policy_document", "github_main_branch_trust")
                .orElse(Map.of()), "statement");
        f.require(trust.size() == 1, "data.aws_iam_policy_document.github_main_branch_trust must hold one statement");
        for (Map<String, Object> statement : trust) {
            f.require(list(statement.get("actions")).equals(List.of("sts:AssumeRoleWithWebIdentity")),
                    "the GitHub trust must allow sts:AssumeRoleWithWebIdentity alone");
            List<Map<String, Object>> conditions = nested(statement, "condition");
            f.require(conditions.stream().anyMatch(c -> "StringEquals".equals(c.get("test"))
                            && "token.actions.githubusercontent.com:aud".equals(c.get("variable"))
                            && list(c.get("values")).equals(List.of("sts.amazonaws.com"))),
                    "the GitHub trust must require the sts.amazonaws.com audience");
            // hcl4j substitutes a local of the same file, and drops the variable it cannot resolve.
            Object subject = bootstrap.locals().get("main_branch_subject");
            f.require(conditions.stream().anyMatch(c -> "StringEquals".equals(c.get("test"))
                            && "token.actions.githubusercontent.com:sub".equals(c.get("variable"))
                            && (list(c.get("values")).equals(List.of(subject))
                            || list(c.get("values")).equals(List.of(new TerraformConfig.Ref("local.main_branch_subject"))))),
                    "the GitHub trust must require, with StringEquals, the subject of the main branch");
        }
        f.require(String.valueOf(bootstrap.string(bootstrap.locals().get("main_branch_subject")))
                        .matches("repo:(var\\.github_repository)?:ref:refs/heads/main"),
                "local.main_branch_subject must be repo:<repository>:ref:refs/heads/main");
        for (String role : List.of("deploy", "verify")) {
            f.require("data.aws_iam_policy_document.github_main_branch_trust.json".equals(refName(
                            bootstrap.resource("aws_iam_role", role).orElse(Map.of()).get("assume_role_policy"))),
                    "aws_iam_role." + role + " must trust GitHub's main branch alone");
        }
        f.require(nested(bootstrap.resource("aws_s3_bucket_versioning", "state").orElse(Map.of()), "versioning_configuration")
                        .stream().anyMatch(v -> "Enabled".equals(v.get("status"))),
                "the state bucket must be versioned");
        f.addAll(bucketIsPrivateEncryptedAndTlsOnly(bootstrap, "state"));
        return f.list();
    }

    /** R12: CI builds and tests everything; deployments use OIDC, never stored AWS keys. */
    static List<String> workflowsUseOidcAndRunTheBuild(Sources workflows) {
        Findings f = new Findings();
        Map<String, Map<String, Object>> parsed = Workflows.parse(workflows);
        f.require(parsed.keySet().containsAll(Set.of("ci.yml", "deploy.yml", "healthcheck.yml")),
                "expected ci.yml, deploy.yml and healthcheck.yml, found " + parsed.keySet());
        Map<String, Object> ci = parsed.getOrDefault("ci.yml", Map.of());
        f.require(map(ci.get("on")).keySet().containsAll(Set.of("push", "pull_request")), "ci.yml must run on push and pull_request");
        List<String> ciRuns = Workflows.runLines(ci);
        for (String command : List.of("mvn -B verify", "terraform fmt -check -recursive", "terraform init -backend=false", "terraform validate")) {
            f.require(ciRuns.contains(command), "ci.yml must run `" + command + "`");
        }
        f.require(Workflows.uses(ci).stream().anyMatch(u -> u.startsWith("actions/setup-java@")), "ci.yml must set up the JDK");
        f.require(Workflows.uses(ci).stream().anyMatch(u -> u.startsWith("bridgecrewio/checkov-action@")), "ci.yml must run checkov");
        Map<String, Object> deploy = parsed.getOrDefault("deploy.yml", Map.of());
        f.require(Workflows.uses(deploy).stream().anyMatch(u -> u.startsWith("aws-actions/configure-aws-credentials@")),
                "deploy.yml must get AWS credentials through OIDC");
        f.require(Workflows.runLines(deploy).stream().anyMatch(l -> l.startsWith("terraform apply")), "deploy.yml must apply");
        parsed.forEach((file, workflow) -> {
            f.require(workflow.containsKey("permissions"), file + " must declare its permissions");
            // Publishing the library needs packages: write, and only a tag may publish.
            boolean publishesOnTagsOnly = "release.yml".equals(file)
                    && String.valueOf(workflow.get("on")).matches("\\{push=\\{tags=\\[[^]]*]}}");
            Workflows.permissions(workflow).forEach((scope, level) -> f.require(
                    !"write".equals(level) || "id-token".equals(scope) || ("packages".equals(scope) && publishesOnTagsOnly),
                    file + " must not grant " + scope + ": write"));
            String text = workflows.text(file);
            f.require(!text.contains("aws-access-key-id") && !text.contains("aws-secret-access-key")
                            && !Pattern.compile("secrets\\.[A-Z_]*AWS").matcher(text).find(),
                    file + " must not use stored AWS keys");
        });
        return f.list();
    }

    /** Public access blocked, owner-enforced, encrypted, and a policy denying plain HTTP. */
    static List<String> bucketIsPrivateEncryptedAndTlsOnly(TerraformConfig tf, String bucket) {
        Findings f = new Findings();
        String id = "aws_s3_bucket." + bucket + ".id";
        f.require(tf.resource("aws_s3_bucket", bucket).isPresent(), "aws_s3_bucket." + bucket + " is missing");
        Map<String, Object> block = tf.resource("aws_s3_bucket_public_access_block", bucket).orElse(Map.of());
        f.require(id.equals(refName(block.get("bucket"))), "aws_s3_bucket." + bucket + " needs a public access block");
        for (String setting : List.of("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")) {
            f.require(tf.isTrue(block.get(setting)), "aws_s3_bucket." + bucket + " must set " + setting + " = true");
        }
        Map<String, Object> ownership = tf.resource("aws_s3_bucket_ownership_controls", bucket).orElse(Map.of());
        f.require(id.equals(refName(ownership.get("bucket"))) && nested(ownership, "rule").stream()
                        .anyMatch(r -> "BucketOwnerEnforced".equals(r.get("object_ownership"))),
                "aws_s3_bucket." + bucket + " must be BucketOwnerEnforced");
        Map<String, Object> encryption = tf.resource("aws_s3_bucket_server_side_encryption_configuration", bucket).orElse(Map.of());
        f.require(id.equals(refName(encryption.get("bucket"))) && nested(encryption, "rule").stream()
                        .flatMap(r -> nested(r, "apply_server_side_encryption_by_default").stream())
                        .anyMatch(d -> Set.of("AES256", "aws:kms", "aws:kms:dsse").contains(d.get("sse_algorithm"))),
                "aws_s3_bucket." + bucket + " must be encrypted at rest");
        Map<String, Object> policy = tf.resource("aws_s3_bucket_policy", bucket).orElse(Map.of());
        String document = bucket.equals("files") ? "files_bucket" : bucket + "_bucket";
        f.require(id.equals(refName(policy.get("bucket")))
                        && ("data.aws_iam_policy_document." + document + ".json").equals(refName(policy.get("policy"))),
                "aws_s3_bucket." + bucket + " needs the bucket policy data.aws_iam_policy_document." + document);
        String arn = "aws_s3_bucket." + bucket + ".arn";
        f.require(statements(tf, document).stream().anyMatch(s -> "Deny".equals(s.get("effect"))
                        && list(s.get("actions")).contains("s3:*")
                        && nested(s, "principals").stream().anyMatch(p -> list(p.get("identifiers")).contains("*"))
                        && list(s.get("resources")).contains(new TerraformConfig.Ref(arn))
                        && list(s.get("resources")).contains(arn + "/*")
                        && nested(s, "condition").stream().anyMatch(c -> "Bool".equals(c.get("test"))
                        && "aws:SecureTransport".equals(c.get("variable")) && list(c.get("values")).equals(List.of("false")))),
                "aws_s3_bucket." + bucket + " must deny every request without TLS (aws:SecureTransport = false)");
        return f.list();
    }

    /** No allow statement names a wildcard action; any-resource grants only for Lambda's ENIs. */
    static List<String> noPolicyAllowsAWildcardAction(TerraformConfig tf, int expectedDocuments) {
        Findings f = new Findings();
        Map<String, Map<String, Object>> documents = tf.blocks("data", "aws_iam_policy_document");
        f.require(documents.size() == expectedDocuments,
                "expected " + expectedDocuments + " policy documents, found " + documents.size() + ": " + documents.keySet());
        documents.forEach((name, document) -> {
            for (Map<String, Object> statement : nested(document, "statement")) {
                f.require(statement.get("not_actions") == null && statement.get("not_resources") == null,
                        name + ": NotAction and NotResource widen a grant");
                if ("Deny".equals(tf.string(statement.get("effect")))) {
                    continue;
                }
                List<Object> actions = list(tf.resolve(statement.get("actions")));
                f.require(!actions.isEmpty(), name + ": an allow statement lists no action");
                actions.forEach(action -> f.require(!String.valueOf(action).contains("*"),
                        name + " allows the wildcard action " + action));
                if (list(statement.get("resources")).contains("*")) {
                    boolean networkInterfaces = actions.stream().allMatch(Expected.NETWORK_INTERFACE_ACTIONS::contains);
                    boolean readOnlyDescribe = actions.stream().allMatch(a -> String.valueOf(a)
                            .matches("[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*|apigateway:GET"));
                    f.require(networkInterfaces || readOnlyDescribe, name + " grants " + actions + " on every resource");
                }
            }
        });
        for (String type : List.of("aws_iam_role_policy", "aws_iam_policy")) {
            tf.resources(type).forEach((name, policy) -> {
                String source = refName(policy.get("policy"));
                f.require(source != null && (source.startsWith("data.aws_iam_policy_document.") || source.startsWith("local.function_policies")),
                        type + "." + name + " must take its policy from an aws_iam_policy_document, where the rules can read it");
            });
        }
        return f.list();
    }

    /** One role per function, trusted by Lambda alone, and no other function resource. */
    static List<String> oneRolePerFunction(TerraformConfig tf) {
        Findings f = new Findings();
        Map<String, Map<String, Object>> functions = tf.resources("aws_lambda_function");
        f.require(functions.keySet().equals(Set.of("function")), "expected aws_lambda_function.function alone, found " + functions.keySet());
        Map<String, Object> function = functions.getOrDefault("function", Map.of());
        f.require("local.functions".equals(refName(function.get("for_each"))), "aws_lambda_function.function must iterate local.functions");
        f.require("aws_iam_role.function.each.key.arn".equals(refName(function.get("role"))),
                "each function must run with its own aws_iam_role.function[each.key]");
        Map<String, Object> role = tf.resource("aws_iam_role", "function").orElse(Map.of());
        f.require("local.functions".equals(refName(role.get("for_each"))), "aws_iam_role.function must iterate local.functions");
        f.require("data.aws_iam_policy_document.lambda_trust.json".equals(refName(role.get("assume_role_policy"))),
                "function roles must trust data.aws_iam_policy_document.lambda_trust");
        List<Map<String, Object>> trust = statements(tf, "lambda_trust");
        f.require(trust.size() == 1 && nested(trust.get(0), "principals").stream()
                        .allMatch(p -> "Service".equals(p.get("type")) && list(p.get("identifiers")).equals(List.of("lambda.amazonaws.com"))),
                "function roles must be assumable by lambda.amazonaws.com alone");
        tf.resources("aws_iam_role").forEach((name, other) -> f.require(name.equals("function")
                        || !"data.aws_iam_policy_document.lambda_trust.json".equals(refName(other.get("assume_role_policy"))),
                "aws_iam_role." + name + " is a second Lambda role"));
        return f.list();
    }

    /** java21 on one architecture, SnapStart behind an alias, VPC, timeouts, memory, concurrency. */
    static List<String> functionsAreConfiguredForProduction(TerraformConfig tf) {
        Findings f = new Findings();
        Map<String, Object> functions = map(tf.locals().get("functions"));
        f.require(functions.keySet().equals(Expected.FUNCTIONS.keySet()), "local.functions must hold exactly " + Expected.FUNCTIONS.keySet());
        Set<String> apiFunctions = new HashSet<>(Expected.ROUTES.values());
        functions.forEach((name, value) -> {
            Map<String, Object> settings = map(value);
            f.require(Objects.equals(Expected.FUNCTIONS.get(name), settings.get("handler")),
                    name + " must run " + Expected.FUNCTIONS.get(name) + ", runs " + settings.get("handler"));
            double timeout = tf.number(settings.get("timeout"));
            f.require(timeout >= 1 && timeout <= (apiFunctions.contains(name) ? 29 : 900),
                    name + " timeout " + timeout + " s must fit its caller (29 s behind API Gateway)");
            f.require(tf.number(settings.get("memory")) >= 512, name + " needs at least 512 MB for the JVM");
            f.require(tf.number(settings.get("concurrency")) >= 1, name + " needs a reserved concurrency");
            f.require(settings.get("in_vpc") instanceof Boolean, name + " must say whether it runs in the VPC");
            f.require(settings.get("egress") instanceof Boolean, name + " must say whether it runs in the egress subnets");
        });
        Map<String, Object> function = tf.resource("aws_lambda_function", "function").orElse(Map.of());
        f.require("java21".equals(tf.string(function.get("runtime"))), "runtime must be java21");
        String architecture = tf.string(tf.locals().get("lambda_architecture"));
        f.require(Set.of("arm64", "x86_64").contains(architecture)
                        && list(function.get("architectures")).equals(List.of(new TerraformConfig.Ref("local.lambda_architecture"))),
                "architectures must be local.lambda_architecture (arm64 or x86_64)");
        f.require("io.helloserverless.lambda.each.value.handler::handleRequest".equals(function.get("handler")),
                "handler must be io.helloserverless.lambda.<Handler>::handleRequest");
        f.require(tf.isTrue(function.get("publish")), "functions must publish versions (SnapStart needs them)");
        Map<String, Object> alias = tf.resource("aws_lambda_alias", "live").orElse(Map.of());
        f.require("local.functions".equals(refName(alias.get("for_each")))
                        && "aws_lambda_function.function.each.key.version".equals(refName(alias.get("function_version"))),
                "each function needs an alias on the version just published");
        f.require("each.value.memory".equals(refName(function.get("memory_size")))
                        && "each.value.timeout".equals(refName(function.get("timeout")))
                        && "each.value.concurrency".equals(refName(function.get("reserved_concurrent_executions"))),
                "memory, timeout and reserved concurrency must come from local.functions");
        String source = tf.blockSource("resource", "aws_lambda_function", "function");
        f.require(source.contains(SECURITY_GROUPS_OF_A_FUNCTION),
                "functions in the VPC must use aws_security_group.functions, or dispatch_events for the egress function");
        f.require(source.contains("for_each = each.value.in_vpc ? [each.key] : []"), "vpc_config must follow each function's in_vpc");
        f.require("-XX:+TieredCompilation -XX:TieredStopAtLevel=1".equals(map(tf.locals().get("env_common")).get("JAVA_TOOL_OPTIONS")),
                "JAVA_TOOL_OPTIONS must stop tiered compilation at level 1");
        f.require(tf.resources("aws_lambda_permission").keySet().equals(Set.of("api")), "expected aws_lambda_permission.api alone");
        f.require(tf.resources("aws_lambda_permission").values().stream()
                        .allMatch(p -> String.valueOf(refName(p.get("qualifier"))).matches("aws_lambda_alias\\.live\\..*\\.name")),
                "API Gateway may invoke the live alias only");
        return f.list();
    }

    /**
     * SnapStart for the functions whose checkpoint hooks prime them and close their connections
     * (every API function), on published versions; every other function starts on demand and maps
     * the class-data archive the deploy workflow trains for it: its JAVA_TOOL_OPTIONS name the
     * archive, and the workflow's list of functions to train is exactly theirs, with their handlers.
     */
    static List<String> snapStartOrAClassDataArchive(TerraformConfig tf, Sources workflows) {
        Findings f = new Findings();
        Map<String, Object> functions = map(tf.locals().get("functions"));
        Set<String> apiFunctions = new HashSet<>(Expected.ROUTES.values());
        Map<String, String> onDemand = new java.util.TreeMap<>();
        functions.forEach((name, value) -> {
            Object snapStart = map(value).get("snap_start");
            f.require(snapStart instanceof Boolean, name + " must say whether it starts from a SnapStart snapshot (snap_start)");
            f.require(!apiFunctions.contains(name) || Boolean.TRUE.equals(snapStart),
                    name + " is an API function: it must start from a SnapStart snapshot (its hooks prime it)");
            if (Boolean.FALSE.equals(snapStart)) {
                onDemand.put(name, String.valueOf(map(value).get("handler")));
            }
        });
        String source = tf.blockSource("resource", "aws_lambda_function", "function");
        f.require(source.contains("dynamic \"snap_start\" {\n    for_each = each.value.snap_start ? [each.key] : []")
                        && source.contains("apply_on = \"PublishedVersions\""),
                "SnapStart must apply to the published versions of the functions with snap_start = true");
        f.require(source.contains("each.value.snap_start ? {} : local.env_on_demand"),
                "the functions without SnapStart must get local.env_on_demand");
        String tuning = String.valueOf(map(tf.locals().get("env_common")).get("JAVA_TOOL_OPTIONS"));
        f.require((tuning + " -XX:SharedArchiveFile=/var/task/classes.jsa").equals(
                        map(tf.locals().get("env_on_demand")).get("JAVA_TOOL_OPTIONS")),
                "local.env_on_demand's JAVA_TOOL_OPTIONS must be env_common's plus -XX:SharedArchiveFile=/var/task/classes.jsa");
        String deploy = workflows.files().getOrDefault("deploy.yml", "");
        java.util.regex.Matcher list = java.util.regex.Pattern.compile("ON_DEMAND_FUNCTIONS: \"([^\"]*)\"").matcher(deploy);
        Map<String, String> trained = new java.util.TreeMap<>();
        if (list.find()) {
            for (String entry : list.group(1).trim().split("\\s+")) {
                trained.put(entry.substring(0, Math.max(0, entry.indexOf('='))), entry.substring(entry.indexOf('=') + 1));
            }
        }
        f.require(trained.equals(onDemand), "deploy.yml's ON_DEMAND_FUNCTIONS must train exactly the functions without SnapStart, "
                + onDemand + ", trains " + trained);
        f.require(deploy.contains(".github/scripts/class-data-archive.sh") && deploy.contains("name: functions-with-archives"),
                "deploy.yml must add the archives with .github/scripts/class-data-archive.sh and deploy those zips");
        return f.list();
    }

    /** Storage, database and cache encrypted at rest; cache TLS required and reachable from the functions only. */
    static List<String> dataIsEncryptedAtRestAndInTransit(TerraformConfig tf) {
        Findings f = new Findings();
        Map<String, Map<String, Object>> caches = tf.resources("aws_elasticache_replication_group");
        f.require(caches.keySet().equals(Set.of("cache")), "expected aws_elasticache_replication_group.cache alone, found " + caches.keySet());
        caches.values().forEach(cache -> {
            f.require(tf.isTrue(cache.get("at_rest_encryption_enabled")), "the cache must be encrypted at rest");
            f.require(tf.isTrue(cache.get("transit_encryption_enabled")) && "required".equals(cache.get("transit_encryption_mode")),
                    "the cache must require TLS");
            f.require(!list(cache.get("user_group_ids")).isEmpty(), "the cache must authenticate with an RBAC user group");
            f.require(list(cache.get("security_group_ids")).equals(List.of(new TerraformConfig.Ref("aws_security_group.cache.id"))),
                    "the cache must be in aws_security_group.cache alone");
        });
        List<Map<String, Object>> ingress = ingressTo(tf, "aws_security_group.cache.id");
        f.require(ingress.size() == 1 && "aws_security_group.functions.id".equals(refName(ingress.get(0).get("referenced_security_group_id"))),
                "the cache must accept connections from aws_security_group.functions alone");
        tf.resources("aws_db_instance").values().forEach(db -> f.require(tf.isTrue(db.get("storage_encrypted")), "the database must be encrypted"));
        f.require(!tf.resources("aws_db_instance").isEmpty(), "aws_db_instance is missing");
        f.addAll(bucketIsPrivateEncryptedAndTlsOnly(tf, "files"));
        return f.list();
    }

    /**
     * Nothing in the VPC is reachable from the internet, and the one way out is the NAT gateway of
     * the egress subnets: one internet gateway, one NAT in the one public subnet, private and egress
     * subnets in two zones without public addresses, endpoints for the AWS APIs used, and no
     * security group rule naming an address range but the dispatcher's HTTPS egress.
     */
    static List<String> theNetworkHasNoPublicPath(TerraformConfig tf) {
        Findings f = new Findings();
        f.require(tf.resources("aws_egress_only_internet_gateway").isEmpty(), "the stack must not create an aws_egress_only_internet_gateway");
        f.require(tf.resources("aws_internet_gateway").keySet().equals(Set.of("egress")),
                "expected aws_internet_gateway.egress alone, found " + tf.resources("aws_internet_gateway").keySet());
        f.require(tf.resources("aws_nat_gateway").keySet().equals(Set.of("egress")),
                "expected aws_nat_gateway.egress alone, found " + tf.resources("aws_nat_gateway").keySet());
        f.require(tf.resources("aws_eip").keySet().equals(Set.of("nat")),
                "expected aws_eip.nat alone (the NAT gateway's address), found " + tf.resources("aws_eip").keySet());
        tf.resources("aws_nat_gateway").forEach((name, nat) -> {
            f.require("aws_subnet.public.id".equals(refName(nat.get("subnet_id"))), "aws_nat_gateway." + name + " must be in aws_subnet.public");
            f.require(nat.get("connectivity_type") == null || "public".equals(nat.get("connectivity_type")),
                    "aws_nat_gateway." + name + " must be a public NAT gateway");
        });
        f.require(tf.resources("aws_instance").isEmpty() && tf.resources("aws_network_interface").isEmpty(),
                "no instance or network interface of the stack's own in the VPC");

        f.require(tf.resources("aws_subnet").keySet().equals(Expected.SUBNETS),
                "the subnets must be exactly " + new TreeSet<>(Expected.SUBNETS) + ", are " + tf.resources("aws_subnet").keySet());
        for (String tier : List.of("private", "egress")) {
            Map<String, Object> subnets = map(tf.locals().get(tier + "_subnets"));
            Set<Object> zones = new HashSet<>();
            subnets.values().forEach(s -> zones.add(map(s).get("zone_index")));
            f.require(subnets.size() >= 2 && zones.size() == subnets.size(), "the " + tier + " subnets must span at least two zones");
            Map<String, Object> subnet = tf.resource("aws_subnet", tier).orElse(Map.of());
            f.require(("local." + tier + "_subnets").equals(refName(subnet.get("for_each"))),
                    "aws_subnet." + tier + " must iterate local." + tier + "_subnets");
        }
        tf.resources("aws_subnet").forEach((name, subnet) -> f.require(Boolean.FALSE.equals(subnet.get("map_public_ip_on_launch")),
                "aws_subnet." + name + " must not give public addresses (map_public_ip_on_launch = false)"));
        f.addAll(onlyTheEgressSubnetsRouteToTheNat(tf));

        Map<String, Map<String, Object>> endpoints = tf.resources("aws_vpc_endpoint");
        f.require("Gateway".equals(map(endpoints.get("s3")).get("vpc_endpoint_type")), "S3 needs a gateway endpoint");
        f.require("Interface".equals(map(endpoints.get("secretsmanager")).get("vpc_endpoint_type"))
                        && Boolean.TRUE.equals(map(endpoints.get("secretsmanager")).get("private_dns_enabled")),
                "Secrets Manager needs an interface endpoint with private DNS");
        f.require(tf.resource("aws_default_security_group", "default").map(Map::isEmpty).orElse(false)
                        || tf.resource("aws_default_security_group", "default").map(g -> g.keySet().equals(Set.of("vpc_id"))).orElse(false),
                "the default security group must be emptied of rules");
        f.require(tf.resources("aws_security_group_rule").isEmpty(), "security group rules must be aws_vpc_security_group_*_rule");
        tf.resources("aws_security_group").forEach((name, group) -> f.require(group.get("ingress") == null && group.get("egress") == null,
                "aws_security_group." + name + " must keep its rules in aws_vpc_security_group_*_rule resources"));
        tf.resources("aws_vpc_security_group_ingress_rule").forEach((name, rule) -> f.require(
                rule.get("cidr_ipv4") == null && rule.get("cidr_ipv6") == null && rule.get("prefix_list_id") == null,
                "ingress rule " + name + " must name a security group, not an address range"));
        tf.resources("aws_vpc_security_group_egress_rule").forEach((name, rule) -> {
            boolean dispatcherHttps = "aws_security_group.dispatch_events.id".equals(refName(rule.get("security_group_id")))
                    && "0.0.0.0/0".equals(rule.get("cidr_ipv4")) && "tcp".equals(rule.get("ip_protocol"))
                    && tf.number(rule.get("from_port")) == 443 && tf.number(rule.get("to_port")) == 443;
            f.require(rule.get("cidr_ipv6") == null && (rule.get("cidr_ipv4") == null || dispatcherHttps),
                    "egress rule " + name + " must name a security group or prefix list, not an address range"
                            + " (only the dispatcher's HTTPS, tcp 443, may go to 0.0.0.0/0)");
        });
        return f.list();
    }

    /**
     * The NAT gateway is reached from the egress subnets alone: its one route is in
     * aws_route_table.egress, associated with aws_subnet.egress alone; the internet gateway is
     * reached from the public subnet alone; the private route table has no route.
     */
    static List<String> onlyTheEgressSubnetsRouteToTheNat(TerraformConfig tf) {
        Findings f = new Findings();
        f.require(tf.resources("aws_route_table").keySet().equals(Expected.SUBNETS),
                "the route tables must be exactly " + new TreeSet<>(Expected.SUBNETS) + ", are " + tf.resources("aws_route_table").keySet());
        tf.resources("aws_route_table").forEach((name, table) -> f.require(table.get("route") == null,
                "aws_route_table." + name + " must declare its routes as aws_route resources, where the rules see them"));
        f.require(tf.resources("aws_main_route_table_association").isEmpty(), "the VPC's main route table must stay the empty default");
        f.require(tf.resources("aws_vpc_endpoint_route_table_association").isEmpty() && tf.resources("aws_route_table_association")
                        .values().stream().allMatch(a -> a.get("gateway_id") == null),
                "route tables must be associated with subnets only");

        Map<String, Map<String, Object>> routes = tf.resources("aws_route");
        f.require(routes.size() == 2, "expected two routes, the egress subnets' to the NAT and the public subnet's to the"
                + " internet gateway, found " + routes.keySet());
        List<String> toNat = new ArrayList<>();
        routes.forEach((name, route) -> {
            String table = refName(route.get("route_table_id"));
            f.require("0.0.0.0/0".equals(route.get("destination_cidr_block")), "aws_route." + name + " must be the default route");
            f.require(route.get("destination_ipv6_cidr_block") == null, "aws_route." + name + ": the VPC has no IPv6 path");
            if (route.get("nat_gateway_id") != null) {
                toNat.add(name);
                f.require("aws_nat_gateway.egress.id".equals(refName(route.get("nat_gateway_id")))
                                && "aws_route_table.egress.id".equals(table),
                        "only aws_route_table.egress may route to the NAT gateway, aws_route." + name + " routes " + table);
            } else if (route.get("gateway_id") != null) {
                f.require("aws_internet_gateway.egress.id".equals(refName(route.get("gateway_id")))
                                && "aws_route_table.public.id".equals(table),
                        "only aws_route_table.public may route to the internet gateway, aws_route." + name + " routes " + table);
            } else {
                f.require(false, "aws_route." + name + " must go to the NAT or the internet gateway");
            }
        });
        f.require(toNat.size() == 1, "expected one route to the NAT gateway, found " + toNat);

        Map<String, String> subnetsOfTable = Map.of(
                "aws_route_table.private.id", "aws_subnet.private",
                "aws_route_table.egress.id", "aws_subnet.egress",
                "aws_route_table.public.id", "aws_subnet.public.id");
        Map<String, Map<String, Object>> associations = tf.resources("aws_route_table_association");
        f.require(associations.keySet().equals(Expected.SUBNETS),
                "expected one route table association per subnet tier " + new TreeSet<>(Expected.SUBNETS) + ", found " + associations.keySet());
        associations.forEach((name, association) -> {
            String table = refName(association.get("route_table_id"));
            String subnets = association.get("for_each") != null ? refName(association.get("for_each")) : refName(association.get("subnet_id"));
            f.require(table != null && Objects.equals(subnetsOfTable.get(table), subnets)
                            && ("aws_route_table." + name + ".id").equals(table),
                    "aws_route_table_association." + name + " must join aws_subnet." + name + " to aws_route_table." + name
                            + ", joins " + subnets + " to " + table);
        });
        return f.list();
    }

    /**
     * dispatch-events is the only function in the egress subnets and in the dispatcher's security
     * group, and nothing else of the stack is placed in those subnets.
     */
    static List<String> onlyTheDispatcherRunsInTheEgressSubnets(TerraformConfig tf) {
        Findings f = new Findings();
        Map<String, Object> functions = map(tf.locals().get("functions"));
        Set<String> egress = new TreeSet<>();
        functions.forEach((name, settings) -> {
            Object flag = map(settings).get("egress");
            f.require(flag instanceof Boolean, name + " must say whether it runs in the egress subnets (egress = true or false)");
            if (Boolean.TRUE.equals(flag)) {
                egress.add(name);
                f.require(Boolean.TRUE.equals(map(settings).get("in_vpc")), name + " runs in the egress subnets, so in_vpc must be true");
            }
        });
        f.require(egress.equals(new TreeSet<>(Expected.EGRESS_FUNCTIONS)),
                "only " + new TreeSet<>(Expected.EGRESS_FUNCTIONS) + " may run in the egress subnets, egress = true on " + egress);
        String function = tf.blockSource("resource", "aws_lambda_function", "function");
        f.require(function.contains(SUBNETS_OF_A_FUNCTION),
                "aws_lambda_function.function must put the egress functions in aws_subnet.egress and every other in aws_subnet.private");
        f.require(function.contains(SECURITY_GROUPS_OF_A_FUNCTION),
                "aws_lambda_function.function must give the egress functions aws_security_group.dispatch_events and every other"
                        + " aws_security_group.functions");

        // Where else the egress subnets and the dispatcher's group may be named.
        Set<String> mayNameTheSubnets = Set.of("aws_lambda_function.function", "aws_route_table_association.egress");
        Set<String> mayNameTheGroup = Set.of("aws_lambda_function.function", "aws_security_group.dispatch_events",
                "aws_vpc_security_group_egress_rule.dispatch_events_to_https", "aws_vpc_security_group_egress_rule.dispatch_events_to_database",
                "aws_vpc_security_group_ingress_rule.database_from_dispatch_events",
                "aws_vpc_security_group_ingress_rule.endpoints_from_dispatch_events");
        for (String type : resourceTypes(tf)) {
            for (String name : tf.resources(type).keySet()) {
                String source = tf.blockSource("resource", type, name);
                String address = type + "." + name;
                f.require(!source.contains("aws_subnet.egress") || mayNameTheSubnets.contains(address),
                        address + " must not be placed in aws_subnet.egress: the egress subnets are the dispatcher's");
                f.require(!source.contains("aws_security_group.dispatch_events") || mayNameTheGroup.contains(address),
                        address + " must not use or open aws_security_group.dispatch_events");
            }
        }
        List<Map<String, Object>> egressRules = tf.resources("aws_vpc_security_group_egress_rule").values().stream()
                .filter(rule -> "aws_security_group.dispatch_events.id".equals(refName(rule.get("security_group_id")))).toList();
        f.require(egressRules.size() == 2 && egressRules.stream().anyMatch(rule -> "0.0.0.0/0".equals(rule.get("cidr_ipv4"))
                                && tf.number(rule.get("from_port")) == 443 && tf.number(rule.get("to_port")) == 443)
                        && egressRules.stream().anyMatch(rule -> "aws_security_group.database.id".equals(refName(rule.get("referenced_security_group_id")))
                                && tf.number(rule.get("from_port")) == 5432 && tf.number(rule.get("to_port")) == 5432),
                "the dispatcher's security group must allow HTTPS (443) to 0.0.0.0/0 and PostgreSQL (5432) to the database, nothing else");
        return f.list();
    }

    /** The dispatcher runs every minute through the scheduler role, one run at a time. */
    static List<String> theDispatcherRunsEveryMinute(TerraformConfig tf) {
        Findings f = new Findings();
        Map<String, Object> schedule = tf.resource("aws_scheduler_schedule", "dispatch_events").orElse(Map.of());
        f.require(!schedule.isEmpty(), "aws_scheduler_schedule.dispatch_events is missing");
        f.require("rate(1 minute)".equals(schedule.get("schedule_expression")),
                "aws_scheduler_schedule.dispatch_events must run at rate(1 minute), runs " + schedule.get("schedule_expression"));
        String source = tf.blockSource("resource", "aws_scheduler_schedule", "dispatch_events");
        f.require(source.contains("arn      = aws_lambda_alias.live[\"dispatch-events\"].arn")
                        && source.contains("role_arn = aws_iam_role.scheduler.arn"),
                "aws_scheduler_schedule.dispatch_events must invoke the live alias of dispatch-events with aws_iam_role.scheduler");
        f.require(!"DISABLED".equals(schedule.get("state")), "aws_scheduler_schedule.dispatch_events must be enabled");
        f.require(tf.blockSource("data", "aws_iam_policy_document", "scheduler").contains("aws_lambda_alias.live[\"dispatch-events\"].arn"),
                "the scheduler role must be allowed to invoke the live alias of dispatch-events");
        Map<String, Object> dispatcher = map(map(tf.locals().get("functions")).get("dispatch-events"));
        f.require(tf.number(dispatcher.get("concurrency")) == 1, "dispatch-events needs a reserved concurrency of 1, so that runs never overlap");
        double timeout = tf.number(dispatcher.get("timeout"));
        f.require(timeout >= 60 && timeout <= 900, "dispatch-events needs a timeout between one minute and Lambda's 900 s, has " + timeout);
        return f.list();
    }

    /** Parked change events, and failed dispatcher runs, alarm to the SNS topic. */
    static List<String> parkedChangeEventsAlarm(TerraformConfig tf) {
        Findings f = new Findings();
        List<Map<String, Object>> metrics = new ArrayList<>();
        tf.resources("aws_cloudwatch_log_metric_filter").forEach((name, filter) -> {
            String pattern = String.valueOf(filter.get("pattern"));
            if (pattern.contains("$.function = \"dispatch-events\"") && pattern.contains("$.parked")) {
                f.require("aws_cloudwatch_log_group.functions.name".equals(refName(filter.get("log_group_name"))),
                        "aws_cloudwatch_log_metric_filter." + name + " must read the central log group aws_cloudwatch_log_group.functions");
                metrics.addAll(nested(filter, "metric_transformation"));
            }
        });
        f.require(!metrics.isEmpty(),
                "no metric filter on the dispatcher's parked events ({ $.function = \"dispatch-events\" && $.parked ... })");
        Map<String, Map<String, Object>> alarms = tf.resources("aws_cloudwatch_metric_alarm");
        boolean parkedAlarm = alarms.entrySet().stream().anyMatch(alarm -> metrics.stream().anyMatch(metric ->
                Objects.equals(tf.string(metric.get("name")), tf.string(alarm.getValue().get("metric_name")))
                        && Objects.equals(tf.string(metric.get("namespace")), tf.string(alarm.getValue().get("namespace")))
                        && alarmsTheTopic(tf, alarm.getKey())
                        && "GreaterThanThreshold".equals(alarm.getValue().get("comparison_operator"))
                        && tf.number(alarm.getValue().get("threshold")) == 0));
        f.require(parkedAlarm, "no alarm to aws_sns_topic.alarms when the parked-events metric exceeds 0");
        boolean errorsAlarm = alarms.keySet().stream()
                .filter(name -> tf.blockSource("resource", "aws_cloudwatch_metric_alarm", name)
                        .contains("aws_lambda_function.function[\"dispatch-events\"].function_name"))
                .anyMatch(name -> "Errors".equals(tf.string(alarms.get(name).get("metric_name"))) && alarmsTheTopic(tf, name));
        f.require(errorsAlarm, "dispatch-events needs an alarm on its Errors to aws_sns_topic.alarms");
        return f.list();
    }

    private static Set<String> resourceTypes(TerraformConfig tf) {
        Set<String> types = new TreeSet<>();
        for (String text : tf.sources().files().values()) {
            java.util.regex.Matcher matcher = RESOURCE_HEADER.matcher(text);
            while (matcher.find()) {
                types.add(matcher.group(1));
            }
        }
        return types;
    }

    private static List<String> currentVersions(TerraformConfig tf) {
        Findings f = new Findings();
        List<Map<String, Object>> blocks = tf.terraformBlocks();
        f.require(blocks.size() == 1, "expected one terraform block, found " + blocks.size());
        blocks.forEach(t -> {
            f.require(">= 1.11".equals(t.get("required_version")), "required_version must be >= 1.11 (write-only arguments)");
            String aws = String.valueOf(map(map(t.get("required_providers")).get("aws")).get("version"));
            f.require(aws.matches(">= 6\\.\\d+.*"), "the AWS provider must be 6 or newer, is " + aws);
        });
        return f.list();
    }

    private static void scheduledDaily(TerraformConfig tf, Findings f, String schedule, String function) {
        Map<String, Object> body = tf.resource("aws_scheduler_schedule", schedule).orElse(Map.of());
        f.require(!body.isEmpty(), "aws_scheduler_schedule." + schedule + " is missing");
        f.require(DAILY_CRON.matcher(String.valueOf(body.get("schedule_expression"))).matches(),
                "aws_scheduler_schedule." + schedule + " must run once a day, runs " + body.get("schedule_expression"));
        f.require(tf.blockSource("resource", "aws_scheduler_schedule", schedule)
                        .contains("arn      = aws_lambda_alias.live[\"" + function + "\"].arn"),
                "aws_scheduler_schedule." + schedule + " must invoke the live alias of " + function);
    }

    private static boolean alarmsTheTopic(TerraformConfig tf, String alarm) {
        return list(tf.resources("aws_cloudwatch_metric_alarm").get(alarm).get("alarm_actions"))
                .contains(new TerraformConfig.Ref("aws_sns_topic.alarms.arn"));
    }

    private static Set<String> routeIds(TerraformConfig tf, Findings f, String document) {
        Set<String> ids = new TreeSet<>();
        List<Map<String, Object>> statements = statements(tf, document);
        f.require(!statements.isEmpty(), "data.aws_iam_policy_document." + document + " is missing");
        for (Map<String, Object> statement : statements) {
            f.require(list(statement.get("actions")).equals(List.of("execute-api:Invoke")), document + " may only invoke the API");
            for (Object resource : list(statement.get("resources"))) {
                String name = String.valueOf(refName(resource));
                f.require(name.startsWith("local.route_arns."), document + " must name routes from local.route_arns, not " + resource);
                ids.add(name.substring(name.lastIndexOf('.') + 1));
            }
        }
        return ids;
    }

    private static List<Map<String, Object>> statements(TerraformConfig tf, String document) {
        return nested(tf.data("aws_iam_policy_document", document).orElse(Map.of()), "statement");
    }

    private static List<Map<String, Object>> ingressTo(TerraformConfig tf, String securityGroupId) {
        return tf.resources("aws_vpc_security_group_ingress_rule").values().stream()
                .filter(rule -> securityGroupId.equals(refName(rule.get("security_group_id"))))
                .toList();
    }

    private static String parameter(TerraformConfig tf, Map<String, Object> group, String name) {
        return nested(group, "parameter").stream()
                .filter(p -> name.equals(p.get("name")))
                .map(p -> {
                    Object value = tf.resolve(p.get("value"));
                    return value instanceof Number n ? String.valueOf(n.longValue()) : String.valueOf(value);
                })
                .findFirst().orElse(null);
    }

    private static boolean regional(TerraformConfig tf, Map<String, Object> body) {
        return nested(body, "endpoint_configuration").stream().anyMatch(e -> list(e.get("types")).equals(List.of("REGIONAL")));
    }

    private static boolean startsWith(Object reference, String prefix) {
        String name = refName(reference);
        return name != null && name.startsWith(prefix);
    }

    private static boolean ownResource(String name) {
        return name.startsWith("aws_s3_bucket.files.arn") || name.startsWith("aws_secretsmanager_secret.")
                || name.equals(Expected.MASTER_SECRET) || name.startsWith("local.route_arns.");
    }

    private static boolean secretArnReference(Object value) {
        String name = refName(value);
        return name != null && (name.matches("aws_secretsmanager_secret\\.[a-z_]+\\.arn") || name.equals(Expected.MASTER_SECRET));
    }

    /** Collects the findings of one rule. */
    private static final class Findings {
        private final List<String> found = new ArrayList<>();

        void require(boolean holds, String finding) {
            if (!holds) {
                found.add(finding);
            }
        }

        void addAll(List<String> findings) {
            found.addAll(findings);
        }

        List<String> list() {
            return List.copyOf(found);
        }
    }
}
