package io.helloserverless.terraform;

import static io.helloserverless.terraform.Findings.assertNone;
import static io.helloserverless.terraform.Findings.assertReported;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every resource and data block of terraform/ and terraform/bootstrap against the hashicorp/aws
 * provider schema, offline: what {@code terraform validate} would say of unknown and missing
 * arguments and blocks, without the Terraform registry. Each kind of mistake is shown caught on a
 * copy broken on purpose.
 */
class ProviderSchemaTest {

    private static final ProviderSchema SCHEMA = ProviderSchema.load(ProviderSchema.NEWEST);
    private static final ProviderSchema OLDEST = ProviderSchema.load(ProviderSchema.OLDEST);
    private static final Pattern LOWER_BOUND = Pattern.compile(">=\\s*(\\d+(?:\\.\\d+)*)");
    private static final TerraformConfig MAIN = Repository.main();
    private static final TerraformConfig BOOTSTRAP = Repository.bootstrap();
    private static final Pattern BLOCK_HEADER = Pattern.compile("(?m)^(resource|data) \"[^\"]+\" \"[^\"]+\"");

    @Nested
    class TheConfiguration {

        @Test
        void ofTheStackConformsToTheProviderSchema() {
            assertNone(SCHEMA.check(MAIN));
        }

        @Test
        void ofTheBootstrapConformsToTheProviderSchema() {
            assertNone(SCHEMA.check(BOOTSTRAP));
        }

        @Test
        void ofTheStackConformsToTheOldestProviderItAdmits() {
            assertNone(OLDEST.check(MAIN));
        }

        @Test
        void ofTheBootstrapConformsToTheOldestProviderOfTheStack() {
            assertNone(OLDEST.check(BOOTSTRAP));
        }

        @Test
        void admitsNoProviderOlderThanTheOldestSchema() {
            // The stack's lower bound is the release the oldest schema comes from; the bootstrap's is not older.
            String regenerate = "; change TARGETS.oldest in " + ProviderSchema.REGENERATE + " to the @cdktn/provider-aws release "
                    + "generated from that provider (npm view '@cdktn/provider-aws@*' cdktf.provider.version) and run it";
            assertEquals(0, compare(lowerBound(MAIN), OLDEST.providerVersion()),
                    () -> "terraform/versions.tf admits hashicorp/aws " + lowerBound(MAIN) + " but " + ProviderSchema.OLDEST
                            + " comes from " + OLDEST.origin() + regenerate);
            assertTrue(compare(lowerBound(BOOTSTRAP), OLDEST.providerVersion()) >= 0,
                    () -> "terraform/bootstrap admits hashicorp/aws " + lowerBound(BOOTSTRAP) + ", older than " + OLDEST.origin());
        }

        @Test
        void isCheckedBlockByBlock() {
            // hcl4j must not drop a block the check would then never see.
            for (TerraformConfig tf : List.of(MAIN, BOOTSTRAP)) {
                long declared = tf.sources().files().values().stream().mapToLong(text -> BLOCK_HEADER.matcher(text).results().count()).sum();
                long parsed = List.of("resource", "data").stream()
                        .flatMap(kind -> tf.types(kind).stream().map(type -> tf.blocks(kind, type)))
                        .mapToLong(java.util.Map::size).sum();
                assertEquals(declared, parsed, "resource and data blocks declared vs parsed in " + tf.sources().files().keySet());
            }
        }

        @Test
        void isCheckedAgainstSchemasFromTheProvider() {
            for (ProviderSchema schema : List.of(SCHEMA, OLDEST)) {
                assertTrue(schema.origin().startsWith("hashicorp/aws 6."), schema.origin());
                assertTrue(schema.types("resource").size() >= 50 && schema.types("data").size() >= 5,
                        "the extracted schema lacks types: " + schema.types("resource").keySet() + " " + schema.types("data").keySet());
            }
            assertTrue(compare(SCHEMA.providerVersion(), OLDEST.providerVersion()) >= 0, SCHEMA.origin() + " vs " + OLDEST.origin());
        }

        @Test
        void reportsAnArgumentTheOldestProviderLacks() {
            // auth_token_wo came after hashicorp/aws 6.45.0 (it is in 6.66.0): raising the floor is then the fix.
            TerraformConfig newer = MAIN.replace("cache.tf", "resource \"aws_elasticache_replication_group\" \"cache\" {",
                    "resource \"aws_elasticache_replication_group\" \"cache\" {\n  auth_token_wo_version = 1");
            assertNone(SCHEMA.check(newer));
            assertReported(OLDEST.check(newer), "cache.tf: resource aws_elasticache_replication_group.cache: unknown argument or block auth_token_wo_version "
                    + "(hashicorp/aws 6.45.0");
        }
    }

    private static String lowerBound(TerraformConfig tf) {
        String constraint = tf.terraformBlocks().stream()
                .map(t -> String.valueOf(TerraformConfig.map(TerraformConfig.map(t.get("required_providers")).get("aws")).get("version")))
                .findFirst().orElse("");
        java.util.regex.Matcher matcher = LOWER_BOUND.matcher(constraint);
        assertTrue(matcher.find(), "no lower bound in the aws version constraint \"" + constraint + "\"");
        return matcher.group(1);
    }

    /** Compares dotted versions numerically, a missing part counting as 0 ("6.45" equals "6.45.0"). */
    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Nested
    class UnknownNames {

        @Test
        void reportAnUnknownArgument() {
            TerraformConfig broken = MAIN.replace("functions.tf", "runtime          = \"java21\"", "runtime_version  = \"java21\"");
            assertReported(SCHEMA.check(broken), "functions.tf: resource aws_lambda_function.function: unknown argument or block runtime_version");
        }

        @Test
        void reportAnUnknownBlock() {
            TerraformConfig broken = MAIN.replace("functions.tf", "logging_config {", "loggingconfig {");
            assertReported(SCHEMA.check(broken), "resource aws_lambda_function.function: unknown argument or block loggingconfig");
        }

        @Test
        void reportAnUnknownArgumentInANestedBlock() {
            TerraformConfig broken = MAIN.replace("functions.tf", "apply_on = \"PublishedVersions\"", "applies_on = \"PublishedVersions\"");
            assertReported(SCHEMA.check(broken), "resource aws_lambda_function.function: unknown argument or block snap_start.applies_on");
        }

        @Test
        void reportAnUnknownArgumentTwoBlocksDeep() {
            TerraformConfig broken = MAIN.replace("change_events.tf", "      maximum_retry_attempts       = 0", "      maximum_retries              = 0");
            assertReported(SCHEMA.check(broken),
                    "change_events.tf: resource aws_scheduler_schedule.dispatch_events: unknown argument or block target.retry_policy.maximum_retries");
        }

        @Test
        void reportAnUnknownArgumentInADataSource() {
            TerraformConfig broken = MAIN.replace("storage.tf", "sid     = \"DenyInsecureTransport\"\n    effect  = \"Deny\"",
                    "sid     = \"DenyInsecureTransport\"\n    effects = \"Deny\"");
            assertReported(SCHEMA.check(broken), "data aws_iam_policy_document.files_bucket: unknown argument or block statement.effects");
        }

        @Test
        void reportAnUnknownArgumentInTheBootstrap() {
            TerraformConfig broken = BOOTSTRAP.replace("main.tf", "bucket = var.state_bucket_name", "bucket_name = var.state_bucket_name");
            List<String> findings = SCHEMA.check(broken);
            assertReported(findings, "main.tf: resource aws_s3_bucket.state: unknown argument or block bucket_name");
        }
    }

    @Nested
    class MissingRequiredNames {

        @Test
        void reportAMissingRequiredArgument() {
            TerraformConfig broken = MAIN.replace("functions.tf", "  function_name    = \"${local.name}-${each.key}\"\n", "");
            assertReported(SCHEMA.check(broken), "resource aws_lambda_function.function: missing required argument function_name");
        }

        @Test
        void reportAMissingRequiredArgumentInANestedBlock() {
            TerraformConfig broken = MAIN.replace("functions.tf", "apply_on = \"PublishedVersions\"", "applies_on = \"PublishedVersions\"");
            assertReported(SCHEMA.check(broken), "resource aws_lambda_function.function: missing required argument snap_start.apply_on");
        }

        @Test
        void reportAMissingRequiredArgumentTwoBlocksDeepInADataSource() {
            TerraformConfig broken = MAIN.replace("api.tf", "      variable = \"aws:SourceAccount\"\n", "");
            assertReported(SCHEMA.check(broken),
                    "api.tf: data aws_iam_policy_document.api_gateway_trust: missing required argument statement.condition.variable");
        }

        @Test
        void reportAMissingRequiredBlock() {
            TerraformConfig broken = MAIN.replace("change_events.tf", "  flexible_time_window {\n    mode = \"OFF\"\n  }\n", "");
            assertReported(SCHEMA.check(broken),
                    "change_events.tf: resource aws_scheduler_schedule.dispatch_events: missing required block flexible_time_window");
        }
    }

    @Nested
    class DynamicBlocks {

        @Test
        void reportAnUnknownLabel() {
            TerraformConfig broken = MAIN.replace("functions.tf", "dynamic \"vpc_config\" {", "dynamic \"vpc_configuration\" {");
            assertReported(SCHEMA.check(broken), "resource aws_lambda_function.function: dynamic \"vpc_configuration\" generates an unknown block vpc_configuration");
        }

        @Test
        void reportALabelNamingAnArgument() {
            TerraformConfig broken = MAIN.replace("functions.tf", "dynamic \"vpc_config\" {", "dynamic \"handler\" {");
            assertReported(SCHEMA.check(broken), "dynamic \"handler\" generates an argument, not a block");
        }

        @Test
        void reportAnUnknownArgumentAndAMissingRequiredOneInTheContent() {
            TerraformConfig broken = MAIN.replace("functions.tf", "      subnet_ids         = each.value.egress", "      subnets            = each.value.egress");
            List<String> findings = SCHEMA.check(broken);
            assertReported(findings, "resource aws_lambda_function.function: unknown argument or block vpc_config.subnets");
            assertReported(findings, "resource aws_lambda_function.function: missing required argument vpc_config.subnet_ids");
        }

        @Test
        void reportAMissingContentBlock() {
            TerraformConfig broken = MAIN.replace("functions.tf", "    content {\n      subnet_ids", "    contents {\n      subnet_ids");
            List<String> findings = SCHEMA.check(broken);
            assertReported(findings, "dynamic \"vpc_config\" has an unknown argument or block contents");
            assertReported(findings, "dynamic \"vpc_config\" lacks its content block");
        }

        @Test
        void satisfyARequiredBlock() {
            TerraformConfig dynamic = MAIN.replace("change_events.tf", "  flexible_time_window {\n    mode = \"OFF\"\n  }\n",
                    "  dynamic \"flexible_time_window\" {\n    for_each = [\"OFF\"]\n    content {\n      mode = flexible_time_window.value\n    }\n  }\n");
            assertNone(SCHEMA.check(dynamic));
        }
    }

    @Nested
    class MetaArguments {

        @Test
        void areAccepted() {
            TerraformConfig withMeta = MAIN.replace("locals.tf", "data \"aws_caller_identity\" \"current\" {}",
                    "data \"aws_caller_identity\" \"current\" {\n  count      = 1\n  provider   = aws.other\n  depends_on = [aws_sns_topic.alarms]\n"
                            + "  lifecycle {\n    postcondition {\n      condition     = self.account_id != \"\"\n      error_message = \"No account.\"\n    }\n  }\n}")
                    .replace("health.tf", "resource \"aws_sns_topic\" \"alarms\" {",
                            "resource \"aws_sns_topic\" \"alarms\" {\n  provider = aws.other\n  provisioner \"local-exec\" {\n    command = \"true\"\n  }\n"
                                    + "  lifecycle {\n    ignore_changes = [tags]\n  }\n");
            assertNone(SCHEMA.check(withMeta));
        }

        @Test
        void reportAnUnknownLifecycleArgument() {
            TerraformConfig broken = BOOTSTRAP.replace("main.tf", "prevent_destroy = true", "prevent_destroys = true");
            assertReported(SCHEMA.check(broken), "main.tf: resource aws_s3_bucket.state: unknown argument or block lifecycle.prevent_destroys");
        }

        @Test
        void reportALifecycleArgumentADataSourceCannotHave() {
            TerraformConfig broken = MAIN.replace("locals.tf", "data \"aws_region\" \"current\" {}",
                    "data \"aws_region\" \"current\" {\n  lifecycle {\n    create_before_destroy = true\n  }\n}");
            assertReported(SCHEMA.check(broken), "locals.tf: data aws_region.current: unknown argument or block lifecycle.create_before_destroy");
        }

        @Test
        void reportAConditionWithoutItsErrorMessage() {
            TerraformConfig broken = MAIN.replace("locals.tf", "data \"aws_region\" \"current\" {}",
                    "data \"aws_region\" \"current\" {\n  lifecycle {\n    postcondition {\n      condition = self.region != \"\"\n    }\n  }\n}");
            assertReported(SCHEMA.check(broken), "data aws_region.current: missing required argument lifecycle.postcondition.error_message");
        }
    }

    @Nested
    class UnknownTypes {

        @Test
        void reportAResourceTypeTheSchemaLacks() {
            TerraformConfig broken = MAIN.replace("health.tf", "resource \"aws_sns_topic\" \"alarms\" {", "resource \"aws_sns_topics\" \"alarms\" {");
            assertReported(SCHEMA.check(broken), "health.tf: resource aws_sns_topics.alarms: the type is not in aws-provider-schema.json");
            assertReported(SCHEMA.check(broken), "regenerate it with " + ProviderSchema.REGENERATE);
        }

        @Test
        void reportADataSourceTypeTheSchemaLacks() {
            TerraformConfig broken = MAIN.replace("locals.tf", "data \"aws_region\" \"current\" {}", "data \"aws_regions\" \"current\" {}");
            assertReported(SCHEMA.check(broken), "locals.tf: data aws_regions.current: the type is not in aws-provider-schema.json");
        }

        @Test
        void reportATypeOfAnotherProvider() {
            TerraformConfig broken = MAIN.replace("locals.tf", "data \"aws_region\" \"current\" {}",
                    "data \"aws_region\" \"current\" {}\n\nresource \"random_id\" \"suffix\" {\n  byte_length = 4\n}");
            assertReported(SCHEMA.check(broken), "resource random_id.suffix: the type is not in aws-provider-schema.json");
            assertReported(SCHEMA.check(broken), "it holds the hashicorp/aws provider only");
        }
    }
}
