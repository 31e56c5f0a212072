package io.helloserverless.terraform;

import io.helloserverless.lambda.Functions;
import io.helloserverless.lambda.Routes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the configuration must match: the functions and routes as the Java side declares them
 * ({@code Functions}), and, written out by hand, what the design (docs/design.md, sections 1 and 3)
 * asks for: each function's rights, the secrets, the network.
 */
final class Expected {

    private Expected() {
    }

    /** Function name to handler class (its simple name, as locals.tf gives it), as the Java side declares them. */
    static final Map<String, String> FUNCTIONS = Functions.ALL.stream().collect(Collectors.toMap(
            Functions.Function::name, f -> f.handler().substring(f.handler().lastIndexOf('.') + 1),
            (a, b) -> a, LinkedHashMap::new));

    /** "METHOD path" to function, as the Java side declares them (docs/design.md, section 3). */
    static final Map<String, String> ROUTES = Routes.ALL.stream().collect(Collectors.toMap(
            r -> r.method() + " " + r.template(), Routes.Route::function, (a, b) -> a, LinkedHashMap::new));

    static final Set<String> READ_ONLY_METHODS = Set.of("GET", "HEAD");

    static final String DB_SECRET = "aws_secretsmanager_secret.db_runtime.arn";
    static final String CACHE_SECRET = "aws_secretsmanager_secret.cache.arn";
    static final String MASTER_SECRET = "aws_db_instance.main.master_user_secret.value.secret_arn";
    static final String API_KEY_SECRET = "aws_secretsmanager_secret.api_key.arn";

    /** The only actions each function's own policy may allow. */
    static final Map<String, Set<String>> ACTIONS = Map.ofEntries(
            Map.entry("create-file", Set.of("secretsmanager:GetSecretValue", "s3:PutObject", "s3:DeleteObject")),
            Map.entry("read-file", Set.of("secretsmanager:GetSecretValue", "s3:GetObject", "s3:ListBucket")),
            Map.entry("list-files", Set.of("secretsmanager:GetSecretValue")),
            Map.entry("update-file", Set.of("secretsmanager:GetSecretValue", "s3:PutObject", "s3:DeleteObject")),
            Map.entry("delete-file", Set.of("secretsmanager:GetSecretValue", "s3:DeleteObject")),
            Map.entry("health", Set.of("secretsmanager:GetSecretValue", "s3:ListBucket")),
            // s3:ListBucket: the orphan collection lists the bucket (no other writer may).
            Map.entry("purge-expired", Set.of("secretsmanager:GetSecretValue", "s3:DeleteObject", "s3:ListBucket")),
            Map.entry("migrate", Set.of("secretsmanager:GetSecretValue")),
            Map.entry("synthetic-check", Set.of("execute-api:Invoke")),
            Map.entry("dispatch-events", Set.of("secretsmanager:GetSecretValue")));

    /** The secret each group of environment variables names, and so the one secret it may read. */
    static final Map<String, String> SECRET_OF_GROUP = Map.of(
            "db", DB_SECRET,
            "cache", CACHE_SECRET,
            "db_admin", MASTER_SECRET,
            "webhook", API_KEY_SECRET);

    /** The functions with a route to the internet (through the NAT gateway): the dispatcher alone. */
    static final Set<String> EGRESS_FUNCTIONS = Set.of("dispatch-events");

    /** The subnets of the stack: private (no route out), egress (to the NAT), public (the NAT). */
    static final Set<String> SUBNETS = Set.of("private", "egress", "public");

    /** Every log group the stack creates or causes. */
    static final Set<String> LOG_GROUPS = Set.of(
            "functions", "api_access", "api_execution", "database_postgresql", "database_upgrade",
            "cache_slow_log", "cache_engine_log");

    /** EC2 actions Lambda needs for VPC networking; the only ones allowed on any resource. */
    static final Set<String> NETWORK_INTERFACE_ACTIONS = Set.of(
            "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
            "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses");
}
