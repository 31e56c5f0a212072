package io.helloserverless.terraform;

import static io.helloserverless.terraform.Findings.assertNone;
import static io.helloserverless.terraform.Findings.assertReported;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One nested class per requirement of the design (docs/design.md, section 1.1): the repository's configuration
 * meets the rule, and copies broken on purpose are reported, so no rule passes vacuously.
 */
class RequirementsTest {

    private static final TerraformConfig MAIN = Repository.main();
    private static final TerraformConfig BOOTSTRAP = Repository.bootstrap();
    private static final Sources WORKFLOWS = Repository.workflows();
    private static final String LAYER_SCRIPT = Repository.text(".github/scripts/rds-ca-layer.sh");

    @Nested
    class R1HttpsWithTls12Minimum {

        @Test
        void isMetByTheRepositoryConfiguration() {
            assertNone(Policies.httpsOnlyThroughTheCustomDomain(MAIN));
        }

        @Test
        void reportsACustomDomainThatAcceptsTls10() {
            TerraformConfig broken = MAIN.replace("api.tf", "security_policy          = \"TLS_1_2\"", "security_policy = \"TLS_1_0\"");
            assertReported(Policies.httpsOnlyThroughTheCustomDomain(broken), "security_policy must be TLS_1_2 or stricter");
        }

        @Test
        void reportsAnEnabledExecuteApiEndpoint() {
            TerraformConfig broken = MAIN.replace("api.tf", "disable_execute_api_endpoint = true", "disable_execute_api_endpoint = false");
            assertReported(Policies.httpsOnlyThroughTheCustomDomain(broken), "disable_execute_api_endpoint = true");
        }
    }

    @Nested
    class R5ThirtyDayRetentionOfFiles {

        @Test
        void isMetByTheRepositoryConfiguration() {
            assertNone(Policies.filesExpireThirtyDaysAfterTheyAreWritten(MAIN));
        }

        @Test
        void reportsObjectsKeptNinetyDays() {
            TerraformConfig broken = MAIN.replace("storage.tf", "      days = 30", "      days = 90");
            assertReported(Policies.filesExpireThirtyDaysAfterTheyAreWritten(broken), "expires objects after 30 days");
        }

        @Test
        void reportsNoncurrentVersionsKeptBeyondThirtyDays() {
            TerraformConfig broken = MAIN.replace("storage.tf", "noncurrent_days = 1", "noncurrent_days = 45");
            assertReported(Policies.filesExpireThirtyDaysAfterTheyAreWritten(broken), "noncurrent versions");
        }

        @Test
        void reportsARuleLimitedToAPrefix() {
            TerraformConfig broken = MAIN.replace("storage.tf",
                    "id     = \"expire-30-days-after-write\"\n    status = \"Enabled\"\n\n    filter {}",
                    "id     = \"expire-30-days-after-write\"\n    status = \"Enabled\"\n\n    filter {\n      prefix = \"tmp/\"\n    }");
            assertReported(Policies.filesExpireThirtyDaysAfterTheyAreWritten(broken), "expires objects after 30 days");
        }
    }

    @Nested
    class R6DailyHealthCheck {

        @Test
        void isMetByTheRepositoryConfiguration() {
            assertNone(Policies.aDailySyntheticCheckAlarmsOnFailure(MAIN));
        }

        @Test
        void reportsAWeeklySchedule() {
            TerraformConfig broken = MAIN.replace("health.tf", "\"cron(0 6 * * ? *)\"", "\"cron(0 6 ? * MON *)\"");
            assertReported(Policies.aDailySyntheticCheckAlarmsOnFailure(broken), "must run once a day");
        }

        @Test
        void reportsACheckThatCanStopRunningUnnoticed() {
            TerraformConfig broken = MAIN.replace("health.tf", "metric_name         = \"Invocations\"", "metric_name = \"Throttles\"");
            assertReported(Policies.aDailySyntheticCheckAlarmsOnFailure(broken), "missing Invocations");
        }

        @Test
        void reportsAScheduleThatInvokesAnotherFunction() {
            TerraformConfig broken = MAIN.replace("health.tf",
                    "arn      = aws_lambda_alias.live[\"synthetic-check\"].arn\n    role_arn",
                    "arn      = aws_lambda_alias.live[\"health\"].arn\n    role_arn");
            assertReported(Policies.aDailySyntheticCheckAlarmsOnFailure(broken), "live alias of synthetic-check");
        }
    }

    @Nested
    class R7CentralLoggingKeptSevenDays {

        @Test
        void isMetByTheRepositoryConfiguration() {
            assertNone(Policies.everyLogGroupKeepsSevenDays(MAIN));
        }

        @Test
        void reportsALogGroupKeptFourteenDays() {
            TerraformConfig broken = MAIN.replace("api.tf",
                    "\"/${local.name}/api/access\"\n  retention_in_days = local.log_retention_days",
                    "\"/${local.name}/api/access\"\n  retention_in_days = 14");
            assertReported(Policies.everyLogGroupKeepsSevenDays(broken), "aws_cloudwatch_log_group.api_access must keep 7 days");
        }

        @Test
        void reportsADatabaseLogWithoutItsLogGroup() {
            TerraformConfig broken = MAIN.replace("database.tf", "[\"postgresql\", \"upgrade\"]", "[\"postgresql\", \"upgrade\", \"iam-db-auth-error\"]");
            assertReported(Policies.everyLogGroupKeepsSevenDays(broken),
                    "no log group /aws/rds/instance/hello-serverless-db/iam-db-auth-error");
        }

        @Test
        void reportsFunctionsLoggingPlainText() {
            TerraformConfig broken = MAIN.replace("functions.tf", "log_format            = \"JSON\"", "log_format = \"Text\"");
            assertReported(Policies.everyLogGroupKeepsSevenDays(broken), "every function must log JSON");
        }
    }

    @Nested
    class R8LeastPrivilege {

        @Test
        void isMetByTheFunctionRoles() {
            assertNone(Policies.eachFunctionHasExactlyItsOwnRights(MAIN));
        }

        @Test
        void isMetByTheConsumerRoles() {
            assertNone(Policies.consumersAreAuthorisedPerRoute(MAIN));
        }

        @Test
        void reportsAFunctionGivenAnActionItDoesNotUse() {
            TerraformConfig broken = MAIN.replaceIn("iam.tf", "data \"aws_iam_policy_document\" \"list_files\"",
                    "sid       = \"ReadTheDatabaseSecret\"\n    actions   = [\"secretsmanager:GetSecretValue\"]",
                    "sid       = \"ReadTheDatabaseSecret\"\n    actions   = [\"secretsmanager:GetSecretValue\", \"s3:GetObject\"]");
            assertReported(Policies.eachFunctionHasExactlyItsOwnRights(broken), "list-files must allow exactly");
        }

        @Test
        void reportsAFunctionActingOnEveryResource() {
            TerraformConfig broken = MAIN.replace("iam.tf",
                    "sid       = \"ReadBlobs\"\n    actions   = [\"s3:GetObject\"]\n    resources = [\"${aws_s3_bucket.files.arn}/*\"]",
                    "sid       = \"ReadBlobs\"\n    actions   = [\"s3:GetObject\"]\n    resources = [\"*\"]");
            assertReported(Policies.eachFunctionHasExactlyItsOwnRights(broken), "read-file may act on the stack's own resources only");
        }

        @Test
        void reportsAnObjectReaderThatCannotListTheBucket() {
            TerraformConfig broken = MAIN.replaceIn("iam.tf", "data \"aws_iam_policy_document\" \"read_file\"",
                    "resources = [aws_s3_bucket.files.arn]", "resources = [\"${aws_s3_bucket.files.arn}/*\"]");
            assertReported(Policies.eachFunctionHasExactlyItsOwnRights(broken), "read-file reads objects, so it needs s3:ListBucket");
        }

        @Test
        void reportsAPurgeThatCannotListTheBucketForOrphans() {
            TerraformConfig broken = MAIN.replaceIn("iam.tf", "data \"aws_iam_policy_document\" \"purge_expired\"",
                    "resources = [aws_s3_bucket.files.arn]", "resources = [\"${aws_s3_bucket.files.arn}/*\"]");
            assertReported(Policies.eachFunctionHasExactlyItsOwnRights(broken),
                    "purge-expired must be given s3:ListBucket alone in its statement and on the bucket");
        }

        @Test
        void reportsAWriterGivenTheRightToListTheBucket() {
            TerraformConfig broken = MAIN.replace("iam.tf",
                    "actions   = [\"s3:PutObject\", \"s3:DeleteObject\"]\n    resources = [\"${aws_s3_bucket.files.arn}/*\"]\n  }\n}\n\ndata \"aws_iam_policy_document\" \"read_file\"",
                    "actions   = [\"s3:PutObject\", \"s3:DeleteObject\", \"s3:ListBucket\"]\n    resources = [\"${aws_s3_bucket.files.arn}/*\"]\n  }\n}\n\ndata \"aws_iam_policy_document\" \"read_file\"");
            assertReported(Policies.eachFunctionHasExactlyItsOwnRights(broken), "create-file must allow exactly");
        }

        @Test
        void reportsAReadOnlyConsumerAllowedToDelete() {
            TerraformConfig broken = MAIN.replace("api.tf",
                    "sid     = \"ReadRoutes\"\n    actions = [\"execute-api:Invoke\"]\n    resources = [\n",
                    "sid     = \"ReadRoutes\"\n    actions = [\"execute-api:Invoke\"]\n    resources = [\n      local.route_arns.delete,\n");
            assertReported(Policies.consumersAreAuthorisedPerRoute(broken), "the read-only consumer must invoke exactly");
        }
    }

    @Nested
    class R9DatabaseReachableByTheApplicationAlone {

        @Test
        void isMetByTheRepositoryConfiguration() {
            assertNone(Policies.theDatabaseIsReachableOnlyFromTheFunctions(MAIN));
        }

        @Test
        void verifiesTheDatabaseCertificateAgainstTheShippedCa() throws Exception {
            assertNone(Policies.databaseTlsIsVerifiedAgainstTheShippedCa(MAIN, WORKFLOWS, LAYER_SCRIPT));
        }

        @Test
        void reportsVerifyFullWithoutARootCertificate() throws Exception {
            TerraformConfig broken = MAIN.replace("locals.tf", "      DB_SSLROOTCERT = \"/opt/rds-ca/global-bundle.pem\"\n", "");
            assertReported(Policies.databaseTlsIsVerifiedAgainstTheShippedCa(broken, WORKFLOWS, LAYER_SCRIPT),
                    "must set DB_SSLROOTCERT");
        }

        @Test
        void reportsADatabaseFunctionWithoutTheCaLayer() throws Exception {
            TerraformConfig broken = MAIN.replace("functions.tf",
                    "layers = contains(each.value.uses, \"db\") ? [aws_lambda_layer_version.rds_ca.arn] : []", "");
            assertReported(Policies.databaseTlsIsVerifiedAgainstTheShippedCa(broken, WORKFLOWS, LAYER_SCRIPT),
                    "must carry the RDS CA layer");
        }

        @Test
        void reportsALayerThatPacksTheBundleElsewhere() throws Exception {
            String moved = LAYER_SCRIPT.replace("bundle=\"$work/rds-ca/global-bundle.pem\"", "bundle=\"$work/ca/bundle.pem\"");
            assertReported(Policies.databaseTlsIsVerifiedAgainstTheShippedCa(MAIN, WORKFLOWS, moved), "must pack the bundle at");
        }

        @Test
        void keepsTheFunctionsWithinTheDatabasesConnectionLimit() {
            assertNone(Policies.databaseConnectionsFitTheInstance(MAIN));
        }

        @Test
        void reportsAPubliclyAccessibleDatabase() {
            TerraformConfig broken = MAIN.replace("database.tf", "publicly_accessible    = false", "publicly_accessible = true");
            assertReported(Policies.theDatabaseIsReachableOnlyFromTheFunctions(broken), "publicly_accessible must be false");
        }

        @Test
        void reportsIngressFromAnAddressRange() {
            TerraformConfig broken = MAIN.replace("network.tf",
                    "description                  = \"PostgreSQL from the functions\"",
                    "description                  = \"PostgreSQL from the functions\"\n  cidr_ipv4 = \"0.0.0.0/0\"");
            assertReported(Policies.theDatabaseIsReachableOnlyFromTheFunctions(broken), "must not name an address range");
        }

        @Test
        void reportsADatabaseThatAcceptsPlainConnections() {
            TerraformConfig broken = MAIN.replace("database.tf", "name  = \"rds.force_ssl\"\n    value = \"1\"", "name  = \"rds.force_ssl\"\n    value = \"0\"");
            assertReported(Policies.theDatabaseIsReachableOnlyFromTheFunctions(broken), "rds.force_ssl must be 1");
        }

        @Test
        void reportsAnInternetGateway() {
            TerraformConfig broken = MAIN.replace("network.tf", "resource \"aws_route_table\" \"private\" {",
                    "resource \"aws_internet_gateway\" \"main\" {\n  vpc_id = aws_vpc.main.id\n}\n\nresource \"aws_route_table\" \"private\" {");
            assertReported(Policies.theDatabaseIsReachableOnlyFromTheFunctions(broken), "aws_internet_gateway");
        }

        @Test
        void reportsMoreConcurrencyThanTheDatabaseHasConnections() {
            TerraformConfig broken = MAIN.replace("locals.tf", "concurrency = 25", "concurrency = 60");
            assertReported(Policies.databaseConnectionsFitTheInstance(broken), "above max_connections");
        }
    }

    @Nested
    class R10SecretsOnlyAtRuntime {

        @Test
        void isMetByTheRepositoryConfiguration() {
            assertNone(Policies.noSecretValueInEnvironmentOrState(MAIN));
        }

        @Test
        void reportsAPasswordInTheEnvironment() {
            TerraformConfig broken = MAIN.replace("locals.tf", "DB_SSLMODE     = \"verify-full\"",
                    "DB_SSLMODE     = \"verify-full\"\n      DB_PASSWORD    = \"not-really\"");
            assertReported(Policies.noSecretValueInEnvironmentOrState(broken), "DB_PASSWORD looks like a secret");
        }

        @Test
        void reportsASecretValueKeptInTheState() {
            TerraformConfig broken = MAIN.replace("secrets.tf", "secret_string_wo = jsonencode({\n    username = \"hs_app\"",
                    "secret_string = jsonencode({\n    username = \"hs_app\"");
            assertReported(Policies.noSecretValueInEnvironmentOrState(broken), "must use secret_string_wo");
        }

        @Test
        void reportsAFunctionThatMayReadASecretItIsNotGiven() {
            TerraformConfig broken = MAIN.replaceIn("iam.tf", "data \"aws_iam_policy_document\" \"list_files\"",
                    "resources = [aws_secretsmanager_secret.db_runtime.arn]",
                    "resources = [aws_secretsmanager_secret.db_runtime.arn, aws_secretsmanager_secret.cache.arn]");
            assertReported(Policies.noSecretValueInEnvironmentOrState(broken), "list-files must read exactly the secrets");
        }
    }

    @Nested
    class R12ContinuouslyDeployed {

        @Test
        void keepsTheStateRemoteAndLocked() {
            assertNone(Policies.stateIsRemoteAndLocked(MAIN));
        }

        @Test
        void trustsOnlyTheMainBranchOfThisRepository() {
            assertNone(Policies.deploymentTrustsOnlyMainOfThisRepository(BOOTSTRAP));
        }

        @Test
        void buildsEveryPushAndDeploysThroughOidc() {
            assertNone(Policies.workflowsUseOidcAndRunTheBuild(WORKFLOWS));
        }

        @Test
        void reportsAStateWithoutLock() {
            TerraformConfig broken = MAIN.replace("versions.tf", "use_lockfile = true", "use_lockfile = false");
            assertReported(Policies.stateIsRemoteAndLocked(broken), "use_lockfile = true");
        }

        @Test
        void reportsATrustOpenToEveryBranch() {
            TerraformConfig broken = BOOTSTRAP.replace("main.tf", ":ref:refs/heads/main\"", ":*\"");
            assertReported(Policies.deploymentTrustsOnlyMainOfThisRepository(broken), "repo:<repository>:ref:refs/heads/main");
        }

        @Test
        void reportsASubjectMatchedWithWildcards() {
            TerraformConfig broken = BOOTSTRAP.replace("main.tf",
                    "test     = \"StringEquals\"\n      variable = \"token.actions.githubusercontent.com:sub\"",
                    "test     = \"StringLike\"\n      variable = \"token.actions.githubusercontent.com:sub\"");
            assertReported(Policies.deploymentTrustsOnlyMainOfThisRepository(broken), "with StringEquals, the subject");
        }

        @Test
        void reportsAStoredAwsKey() {
            Sources broken = WORKFLOWS.replace("deploy.yml", "role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}",
                    "aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}");
            assertReported(Policies.workflowsUseOidcAndRunTheBuild(broken), "deploy.yml must not use stored AWS keys");
        }

        @Test
        void reportsAPackageWriteOutsideATagRelease() {
            Sources broken = WORKFLOWS.replace("release.yml", "  push:\n    tags: [\"v*\"]", "  push:\n    branches: [main]");
            assertReported(Policies.workflowsUseOidcAndRunTheBuild(broken), "release.yml must not grant packages: write");
        }

        @Test
        void reportsACiThatSkipsTheTests() {
            Sources broken = WORKFLOWS.replace("ci.yml", "run: mvn -B verify", "run: mvn -B -DskipTests verify");
            assertReported(Policies.workflowsUseOidcAndRunTheBuild(broken), "ci.yml must run `mvn -B verify`");
        }
    }
}
