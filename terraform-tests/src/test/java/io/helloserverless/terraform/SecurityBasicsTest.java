package io.helloserverless.terraform;

import static io.helloserverless.terraform.Findings.assertNone;
import static io.helloserverless.terraform.Findings.assertReported;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The security basics of the issue, each shown able to fail on a copy broken on purpose. */
class SecurityBasicsTest {

    private static final TerraformConfig MAIN = Repository.main();
    private static final TerraformConfig BOOTSTRAP = Repository.bootstrap();
    private static final Sources WORKFLOWS = Repository.workflows();
    /** One per function, and those of the consumers, trusts, endpoints, bucket, logs, scheduler and alarms. */
    private static final int MAIN_POLICY_DOCUMENTS = Expected.FUNCTIONS.size() + 14;
    private static final int BOOTSTRAP_POLICY_DOCUMENTS = 4;

    @Nested
    class TheFilesBucket {

        @Test
        void isPrivateEncryptedAndTlsOnly() {
            assertNone(Policies.bucketIsPrivateEncryptedAndTlsOnly(MAIN, "files"));
        }

        @Test
        void reportsAPublicAccessBlockLeftOpen() {
            TerraformConfig broken = MAIN.replace("storage.tf", "restrict_public_buckets = true", "restrict_public_buckets = false");
            assertReported(Policies.bucketIsPrivateEncryptedAndTlsOnly(broken, "files"), "must set restrict_public_buckets = true");
        }

        @Test
        void reportsAPolicyThatDoesNotDenyPlainHttp() {
            TerraformConfig broken = MAIN.replace("storage.tf", "values   = [\"false\"]", "values   = [\"true\"]");
            assertReported(Policies.bucketIsPrivateEncryptedAndTlsOnly(broken, "files"), "must deny every request without TLS");
        }

        @Test
        void reportsAMissingEncryptionConfiguration() {
            TerraformConfig broken = MAIN.replace("storage.tf",
                    "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"files\"",
                    "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"renamed\"");
            assertReported(Policies.bucketIsPrivateEncryptedAndTlsOnly(broken, "files"), "must be encrypted at rest");
        }
    }

    @Nested
    class IamPolicies {

        @Test
        void allowNoWildcardActionInTheStack() {
            assertNone(Policies.noPolicyAllowsAWildcardAction(MAIN, MAIN_POLICY_DOCUMENTS));
        }

        @Test
        void allowNoWildcardActionInTheBootstrap() {
            assertNone(Policies.noPolicyAllowsAWildcardAction(BOOTSTRAP, BOOTSTRAP_POLICY_DOCUMENTS));
        }

        @Test
        void reportAWildcardAction() {
            TerraformConfig broken = MAIN.replace("iam.tf", "actions   = [\"s3:GetObject\"]", "actions   = [\"s3:*\"]");
            assertReported(Policies.noPolicyAllowsAWildcardAction(broken, MAIN_POLICY_DOCUMENTS), "allows the wildcard action s3:*");
        }

        @Test
        void reportAWriteActionOnEveryResource() {
            TerraformConfig broken = MAIN.replace("health.tf",
                    "resources = [\n      aws_lambda_alias.live[\"synthetic-check\"].arn,\n      aws_lambda_alias.live[\"purge-expired\"].arn,\n"
                            + "      aws_lambda_alias.live[\"dispatch-events\"].arn,\n    ]",
                    "resources = [\"*\"]");
            assertReported(Policies.noPolicyAllowsAWildcardAction(broken, MAIN_POLICY_DOCUMENTS), "on every resource");
        }

        @Test
        void reportAPolicyDocumentTheRulesCannotSee() {
            TerraformConfig broken = MAIN.replace("iam.tf", "data \"aws_iam_policy_document\" \"delete_file\" {",
                    "data \"aws_iam_policy_document\" \"delete_file_renamed\" {");
            assertReported(Policies.noPolicyAllowsAWildcardAction(broken, MAIN_POLICY_DOCUMENTS + 1),
                    "expected " + (MAIN_POLICY_DOCUMENTS + 1) + " policy documents");
        }
    }

    @Nested
    class FunctionRoles {

        @Test
        void areOnePerFunction() {
            assertNone(Policies.oneRolePerFunction(MAIN));
        }

        @Test
        void reportAFunctionRunningWithASharedRole() {
            TerraformConfig broken = MAIN.replace("functions.tf", "role             = aws_iam_role.function[each.key].arn",
                    "role             = aws_iam_role.scheduler.arn");
            assertReported(Policies.oneRolePerFunction(broken), "its own aws_iam_role.function[each.key]");
        }
    }

    @Nested
    class Functions {

        @Test
        void areConfiguredForProduction() {
            assertNone(Policies.functionsAreConfiguredForProduction(MAIN));
        }

        @Test
        void reportAnOlderRuntime() {
            TerraformConfig broken = MAIN.replace("functions.tf", "runtime          = \"java21\"", "runtime          = \"java17\"");
            assertReported(Policies.functionsAreConfiguredForProduction(broken), "runtime must be java21");
        }

        @Test
        void startFromASnapshotOrFromTheirClassDataArchive() {
            assertNone(Policies.snapStartOrAClassDataArchive(MAIN, WORKFLOWS));
        }

        @Test
        void reportSnapStartSwitchedOff() {
            TerraformConfig broken = MAIN.replace("functions.tf", "apply_on = \"PublishedVersions\"", "apply_on = \"None\"");
            assertReported(Policies.snapStartOrAClassDataArchive(broken, WORKFLOWS), "SnapStart must apply to the published versions");
        }

        @Test
        void reportAnApiFunctionWithoutSnapStart() {
            TerraformConfig broken = MAIN.replace("locals.tf", "uses        = [\"db\"]\n      snap_start  = true",
                    "uses        = [\"db\"]\n      snap_start  = false");
            assertReported(Policies.snapStartOrAClassDataArchive(broken, WORKFLOWS), "list-files is an API function");
        }

        @Test
        void reportAnOnDemandFunctionWhoseArchiveIsNotTrained() {
            Sources broken = WORKFLOWS.replace("deploy.yml", " migrate=MigrateFunction", "");
            assertReported(Policies.snapStartOrAClassDataArchive(MAIN, broken), "must train exactly the functions without SnapStart");
        }

        @Test
        void reportAnOnDemandFunctionThatDoesNotMapItsArchive() {
            TerraformConfig broken = MAIN.replace("functions.tf", "each.value.snap_start ? {} : local.env_on_demand,\n", "");
            assertReported(Policies.snapStartOrAClassDataArchive(broken, WORKFLOWS), "must get local.env_on_demand");
        }

        @Test
        void reportAnApiFunctionOutlivingTheGatewayTimeout() {
            TerraformConfig broken = MAIN.replace("locals.tf", "handler     = \"CreateFileFunction\"\n      memory      = 1024\n      timeout     = 28",
                    "handler     = \"CreateFileFunction\"\n      memory      = 1024\n      timeout     = 60");
            assertReported(Policies.functionsAreConfiguredForProduction(broken), "create-file timeout");
        }

        @Test
        void reportAHandlerTheJavaSideDoesNotProvide() {
            TerraformConfig broken = MAIN.replace("locals.tf", "handler     = \"ReadFileFunction\"", "handler     = \"ReadFunction\"");
            assertReported(Policies.functionsAreConfiguredForProduction(broken), "read-file must run ReadFileFunction");
        }
    }

    @Nested
    class StoredData {

        @Test
        void isEncryptedAtRestAndInTransit() {
            assertNone(Policies.dataIsEncryptedAtRestAndInTransit(MAIN));
        }

        @Test
        void reportsACacheThatAcceptsPlainConnections() {
            TerraformConfig broken = MAIN.replace("cache.tf", "transit_encryption_mode    = \"required\"", "transit_encryption_mode    = \"preferred\"");
            assertReported(Policies.dataIsEncryptedAtRestAndInTransit(broken), "the cache must require TLS");
        }

        @Test
        void reportsACacheReachableFromAnotherSecurityGroup() {
            TerraformConfig broken = MAIN.replace("network.tf",
                    "description                  = \"Redis protocol from the functions\"\n  ip_protocol                  = \"tcp\"\n  from_port                    = local.cache_port\n  to_port                      = local.cache_port\n  referenced_security_group_id = aws_security_group.functions.id",
                    "description                  = \"Redis protocol from the functions\"\n  ip_protocol                  = \"tcp\"\n  from_port                    = local.cache_port\n  to_port                      = local.cache_port\n  referenced_security_group_id = aws_security_group.endpoints.id");
            assertReported(Policies.dataIsEncryptedAtRestAndInTransit(broken), "from aws_security_group.functions alone");
        }
    }

    @Nested
    class TheNetwork {

        @Test
        void hasNoPublicPath() {
            assertNone(Policies.theNetworkHasNoPublicPath(MAIN));
        }

        @Test
        void reportsANatGateway() {
            TerraformConfig broken = MAIN.replace("network.tf", "resource \"aws_route_table\" \"private\" {",
                    "resource \"aws_nat_gateway\" \"main\" {\n  subnet_id = aws_subnet.private[\"a\"].id\n}\n\nresource \"aws_route_table\" \"private\" {");
            assertReported(Policies.theNetworkHasNoPublicPath(broken), "aws_nat_gateway");
        }

        @Test
        void reportsSecretsManagerReachedWithoutPrivateDns() {
            TerraformConfig broken = MAIN.replace("network.tf", "private_dns_enabled = true", "private_dns_enabled = false");
            assertReported(Policies.theNetworkHasNoPublicPath(broken), "interface endpoint with private DNS");
        }

        @Test
        void reportsEgressToTheInternet() {
            TerraformConfig broken = MAIN.replace("network.tf", "prefix_list_id    = aws_vpc_endpoint.s3.prefix_list_id",
                    "cidr_ipv4         = \"0.0.0.0/0\"");
            assertReported(Policies.theNetworkHasNoPublicPath(broken), "egress rule functions_to_s3");
        }
    }
}
