package io.helloserverless.terraform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What the design (docs/design.md, sections 1 and 3) asks for, written out by hand: the rules compare the configuration to this. */
final class Expected {

    private Expected() {
    }

    /** Function name to handler class (the Java side's contract). */
    static final Map<String, String> FUNCTIONS = mapOf(
            "create-file", "CreateFileFunction",
            "read-file", "ReadFileFunction",
            "list-files", "ListFilesFunction",
            "update-file", "UpdateFileFunction",
            "delete-file", "DeleteFileFunction",
            "health", "HealthFunction",
            "purge-expired", "PurgeExpiredFunction",
            "migrate", "MigrateFunction",
            "synthetic-check", "SyntheticCheckFunction",
            "dispatch-events", "DispatchEventsFunction");

    /** "METHOD path" to function, from the API contract of the design (docs/design.md, section 3). */
    static final Map<String, String> ROUTES = mapOf(
            "POST /v1/files", "create-file",
            "GET /v1/files", "list-files",
            "GET /v1/files/{name}", "read-file",
            "HEAD /v1/files/{name}", "read-file",
            "PUT /v1/files/{name}", "update-file",
            "DELETE /v1/files/{name}", "delete-file",
            "GET /v1/health", "health");

    static final Set<String> READ_ONLY_METHODS = Set.of("GET", "HEAD");

    static final String DB_SECRET = "aws_secretsmanager_secret.db_runtime.arn";
    static final String CACHE_SECRET = "aws_secretsmanager_secret.cache.arn";
    static final String MASTER_SECRET = "aws_db_instance.main.master_user_secret.value.secret_arn";
    static final String API_KEY_SECRET = "aws_secretsmanager_secret.api_key.arn";

    /** The only actions each function's own policy may allow. */
    static final Map<String, Set<String>> ACTIONS = Map.of(
            "create-file", Set.of("secretsmanager:GetSecretValue", "s3:PutObject", "s3:DeleteObject"),
            "read-file", Set.of("secretsmanager:GetSecretValue", "s3:GetObject", "s3:ListBucket"),
            "list-files", Set.of("secretsmanager:GetSecretValue"),
            "update-file", Set.of("secretsmanager:GetSecretValue", "s3:PutObject", "s3:DeleteObject"),
            "delete-file", Set.of("secretsmanager:GetSecretValue", "s3:DeleteObject"),
            "health", Set.of("secretsmanager:GetSecretValue", "s3:ListBucket"),
            // s3:ListBucket: the orphan collection lists the bucket (no other writer may).
            "purge-expired", Set.of("secretsmanager:GetSecretValue", "s3:DeleteObject", "s3:ListBucket"),
            "migrate", Set.of("secretsmanager:GetSecretValue"),
            "synthetic-check", Set.of("execute-api:Invoke"),
            "dispatch-events", Set.of("secretsmanager:GetSecretValue"));

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

    private static Map<String, String> mapOf(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Map.copyOf(map);
    }
}
