package io.helloserverless.terraform;

import static io.helloserverless.terraform.Findings.assertNone;
import static io.helloserverless.terraform.Findings.assertReported;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The change-event dispatcher (docs/change-events.md): the only function with a route to the
 * internet, run every minute, alarmed on parked events. Each rule is shown able to fail.
 */
class ChangeEventsTest {

    private static final TerraformConfig MAIN = Repository.main();

    @Nested
    class TheEgressSubnets {

        @Test
        void holdTheDispatcherAlone() {
            assertNone(Policies.onlyTheDispatcherRunsInTheEgressSubnets(MAIN));
        }

        @Test
        void reportAnotherFunctionGivenTheEgressPath() {
            TerraformConfig broken = MAIN.replace("locals.tf",
                    "handler     = \"PurgeExpiredFunction\"\n      memory      = 1024\n      timeout     = 300\n      concurrency = 1\n"
                            + "      in_vpc      = true\n      egress      = false",
                    "handler     = \"PurgeExpiredFunction\"\n      memory      = 1024\n      timeout     = 300\n      concurrency = 1\n"
                            + "      in_vpc      = true\n      egress      = true");
            assertReported(Policies.onlyTheDispatcherRunsInTheEgressSubnets(broken), "only [dispatch-events] may run in the egress subnets");
        }

        @Test
        void reportEveryFunctionPutInTheEgressSubnets() {
            TerraformConfig broken = MAIN.replace("functions.tf", Policies.SUBNETS_OF_A_FUNCTION,
                    "subnet_ids         = [for subnet in aws_subnet.egress : subnet.id]");
            assertReported(Policies.onlyTheDispatcherRunsInTheEgressSubnets(broken), "must put the egress functions in aws_subnet.egress");
        }

        @Test
        void reportTheDatabasePlacedInTheEgressSubnets() {
            TerraformConfig broken = MAIN.replace("database.tf", "subnet_ids = [for subnet in aws_subnet.private : subnet.id]",
                    "subnet_ids = [for subnet in aws_subnet.egress : subnet.id]");
            assertReported(Policies.onlyTheDispatcherRunsInTheEgressSubnets(broken), "aws_db_subnet_group.main must not be placed in aws_subnet.egress");
        }

        @Test
        void reportTheDispatcherAllowedMoreThanHttpsAndPostgres() {
            TerraformConfig broken = MAIN.replace("network.tf",
                    "description       = \"The remote HTTPS service, and Secrets Manager through its endpoint\"\n  ip_protocol       = \"tcp\"\n"
                            + "  from_port         = 443\n  to_port           = 443",
                    "description       = \"The remote HTTPS service, and Secrets Manager through its endpoint\"\n  ip_protocol       = \"tcp\"\n"
                            + "  from_port         = 0\n  to_port           = 65535");
            assertReported(Policies.onlyTheDispatcherRunsInTheEgressSubnets(broken), "must allow HTTPS (443) to 0.0.0.0/0 and PostgreSQL");
        }
    }

    @Nested
    class TheDatabase {

        @Test
        void acceptsTheDispatcherAndTheFunctionsAlone() {
            assertNone(Policies.theDatabaseIsReachableOnlyFromTheFunctions(MAIN));
        }

        @Test
        void reportsIngressFromAGroupThatIsNotAFunctions() {
            TerraformConfig broken = MAIN.replace("network.tf",
                    "description                  = \"PostgreSQL from the change-event dispatcher\"\n  ip_protocol                  = \"tcp\"\n"
                            + "  from_port                    = local.db_port\n  to_port                      = local.db_port\n"
                            + "  referenced_security_group_id = aws_security_group.dispatch_events.id",
                    "description                  = \"PostgreSQL from the change-event dispatcher\"\n  ip_protocol                  = \"tcp\"\n"
                            + "  from_port                    = local.db_port\n  to_port                      = local.db_port\n"
                            + "  referenced_security_group_id = aws_security_group.cache.id");
            assertReported(Policies.theDatabaseIsReachableOnlyFromTheFunctions(broken), "database ingress must come from");
        }
    }

    @Nested
    class TheNatGateway {

        @Test
        void isRoutedToFromTheEgressSubnetsAlone() {
            assertNone(Policies.onlyTheEgressSubnetsRouteToTheNat(MAIN));
        }

        @Test
        void reportsThePrivateSubnetsRoutedToTheNat() {
            TerraformConfig broken = MAIN.replace("network.tf",
                    "route_table_id         = aws_route_table.egress.id\n  destination_cidr_block = \"0.0.0.0/0\"\n  nat_gateway_id",
                    "route_table_id         = aws_route_table.private.id\n  destination_cidr_block = \"0.0.0.0/0\"\n  nat_gateway_id");
            assertReported(Policies.onlyTheEgressSubnetsRouteToTheNat(broken), "only aws_route_table.egress may route to the NAT gateway");
        }

        @Test
        void reportsThePrivateSubnetsJoinedToTheEgressRouteTable() {
            TerraformConfig broken = MAIN.replace("network.tf", "route_table_id = aws_route_table.private.id",
                    "route_table_id = aws_route_table.egress.id");
            assertReported(Policies.onlyTheEgressSubnetsRouteToTheNat(broken), "aws_route_table_association.private must join aws_subnet.private");
        }

        @Test
        void reportsAnInlineRouteTheRulesWouldNotSee() {
            TerraformConfig broken = MAIN.replace("network.tf", "tags = { Name = \"${local.name}-private\" }",
                    "tags = { Name = \"${local.name}-private\" }\n\n  route {\n    cidr_block     = \"0.0.0.0/0\"\n"
                            + "    nat_gateway_id = aws_nat_gateway.egress.id\n  }");
            assertReported(Policies.onlyTheEgressSubnetsRouteToTheNat(broken), "aws_route_table.private must declare its routes as aws_route");
        }
    }

    @Nested
    class TheSchedule {

        @Test
        void runsTheDispatcherEveryMinute() {
            assertNone(Policies.theDispatcherRunsEveryMinute(MAIN));
        }

        @Test
        void reportsAnHourlySchedule() {
            TerraformConfig broken = MAIN.replace("change_events.tf", "\"rate(1 minute)\"", "\"rate(1 hour)\"");
            assertReported(Policies.theDispatcherRunsEveryMinute(broken), "must run at rate(1 minute)");
        }

        @Test
        void reportsASchedulerNotAllowedToInvokeTheDispatcher() {
            TerraformConfig broken = MAIN.replace("health.tf", "      aws_lambda_alias.live[\"dispatch-events\"].arn,\n", "");
            assertReported(Policies.theDispatcherRunsEveryMinute(broken), "the scheduler role must be allowed to invoke");
        }

        @Test
        void reportsOverlappingRuns() {
            TerraformConfig broken = MAIN.replace("locals.tf",
                    "concurrency = 1\n      in_vpc      = true\n      egress      = true",
                    "concurrency = 2\n      in_vpc      = true\n      egress      = true");
            assertReported(Policies.theDispatcherRunsEveryMinute(broken), "reserved concurrency of 1");
        }
    }

    @Nested
    class TheParkedEventsAlarm {

        @Test
        void existsAndReachesTheTopic() {
            assertNone(Policies.parkedChangeEventsAlarm(MAIN));
        }

        @Test
        void reportsAnAlarmOnAnotherMetric() {
            TerraformConfig broken = MAIN.replace("change_events.tf", "metric_name         = \"ParkedChangeEvents\"",
                    "metric_name         = \"ParkedEvents\"");
            assertReported(Policies.parkedChangeEventsAlarm(broken), "when the parked-events metric exceeds 0");
        }

        @Test
        void reportsAFilterOnAnotherLogGroup() {
            TerraformConfig broken = MAIN.replace("change_events.tf", "log_group_name = aws_cloudwatch_log_group.functions.name",
                    "log_group_name = aws_cloudwatch_log_group.api_access.name");
            assertReported(Policies.parkedChangeEventsAlarm(broken), "must read the central log group");
        }

        @Test
        void reportsAMissingErrorsAlarm() {
            TerraformConfig broken = MAIN.replace("change_events.tf",
                    "metric_name         = \"Errors\"\n  dimensions          = { FunctionName = aws_lambda_function.function[\"dispatch-events\"].function_name }",
                    "metric_name         = \"Throttles\"\n  dimensions          = { FunctionName = aws_lambda_function.function[\"dispatch-events\"].function_name }");
            assertReported(Policies.parkedChangeEventsAlarm(broken), "dispatch-events needs an alarm on its Errors");
        }
    }
}
