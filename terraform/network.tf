# Private network. The functions reach AWS APIs through VPC endpoints and have no route out.
# The one exception is the change-event dispatcher, which calls a remote HTTPS service: it alone
# runs in the "egress" subnets, whose route table sends everything else to a NAT gateway in the
# one public subnet. Nothing in the VPC is reachable from the internet.

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
  # Both are needed for the private DNS names of the interface endpoints.
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = { Name = local.name }

  #checkov:skip=CKV2_AWS_11:Only Lambda ENIs, RDS and ElastiCache live here; the one route out serves dispatch-events alone, limited by its security group to HTTPS, and its run log counts every delivery. Flow logs would add a log group outside requirement R7's list.
}

# Nothing may use the default security group.
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "private" {
  for_each = local.private_subnets

  vpc_id                  = aws_vpc.main.id
  availability_zone       = data.aws_availability_zones.available.names[each.value.zone_index]
  cidr_block              = cidrsubnet(var.vpc_cidr, 4, each.value.cidr_index)
  map_public_ip_on_launch = false

  tags = { Name = "${local.name}-private-${each.key}" }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  tags = { Name = "${local.name}-private" }
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

# The egress path of dispatch-events (docs/deploy.md): an internet gateway, one public subnet
# holding the NAT gateway (one zone, for cost: the dispatcher retries, and its events wait in
# the outbox, while that zone is down), and two private egress subnets routed to the NAT.
resource "aws_internet_gateway" "egress" {
  vpc_id = aws_vpc.main.id

  tags = { Name = local.name }
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  availability_zone       = data.aws_availability_zones.available.names[local.public_subnet.zone_index]
  cidr_block              = cidrsubnet(var.vpc_cidr, 4, local.public_subnet.cidr_index)
  map_public_ip_on_launch = false

  tags = { Name = "${local.name}-public" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  tags = { Name = "${local.name}-public" }
}

resource "aws_route" "public_to_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.egress.id
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"

  tags = { Name = "${local.name}-nat" }

  depends_on = [aws_internet_gateway.egress]

  #checkov:skip=CKV2_AWS_19:The address is the NAT gateway's (aws_nat_gateway.egress allocation_id), not an instance's.
}

resource "aws_nat_gateway" "egress" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id

  tags = { Name = local.name }

  depends_on = [aws_internet_gateway.egress]
}

resource "aws_subnet" "egress" {
  for_each = local.egress_subnets

  vpc_id                  = aws_vpc.main.id
  availability_zone       = data.aws_availability_zones.available.names[each.value.zone_index]
  cidr_block              = cidrsubnet(var.vpc_cidr, 4, each.value.cidr_index)
  map_public_ip_on_launch = false

  tags = { Name = "${local.name}-egress-${each.key}" }
}

resource "aws_route_table" "egress" {
  vpc_id = aws_vpc.main.id

  tags = { Name = "${local.name}-egress" }
}

resource "aws_route" "egress_to_nat" {
  route_table_id         = aws_route_table.egress.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.egress.id
}

resource "aws_route_table_association" "egress" {
  for_each = aws_subnet.egress

  subnet_id      = each.value.id
  route_table_id = aws_route_table.egress.id
}

resource "aws_security_group" "functions" {
  name        = "${local.name}-functions"
  description = "Lambda functions of the stack"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "dispatch_events" {
  name        = "${local.name}-dispatch-events"
  description = "The change-event dispatcher: the remote HTTPS service and PostgreSQL"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "database" {
  name        = "${local.name}-database"
  description = "PostgreSQL, reachable from the functions only"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "cache" {
  name        = "${local.name}-cache"
  description = "ElastiCache, reachable from the functions only"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "endpoints" {
  name        = "${local.name}-endpoints"
  description = "Interface VPC endpoints, reachable from the functions only"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "database_from_functions" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the functions"
  ip_protocol                  = "tcp"
  from_port                    = local.db_port
  to_port                      = local.db_port
  referenced_security_group_id = aws_security_group.functions.id
}

resource "aws_vpc_security_group_ingress_rule" "database_from_dispatch_events" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the change-event dispatcher"
  ip_protocol                  = "tcp"
  from_port                    = local.db_port
  to_port                      = local.db_port
  referenced_security_group_id = aws_security_group.dispatch_events.id
}

resource "aws_vpc_security_group_ingress_rule" "cache_from_functions" {
  security_group_id            = aws_security_group.cache.id
  description                  = "Redis protocol from the functions"
  ip_protocol                  = "tcp"
  from_port                    = local.cache_port
  to_port                      = local.cache_port
  referenced_security_group_id = aws_security_group.functions.id
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_functions" {
  security_group_id            = aws_security_group.endpoints.id
  description                  = "HTTPS from the functions"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.functions.id
}

# Private DNS sends the dispatcher's Secrets Manager calls to the interface endpoint too.
resource "aws_vpc_security_group_ingress_rule" "endpoints_from_dispatch_events" {
  security_group_id            = aws_security_group.endpoints.id
  description                  = "HTTPS from the change-event dispatcher"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.dispatch_events.id
}

resource "aws_vpc_security_group_egress_rule" "functions_to_database" {
  security_group_id            = aws_security_group.functions.id
  description                  = "PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = local.db_port
  to_port                      = local.db_port
  referenced_security_group_id = aws_security_group.database.id
}

resource "aws_vpc_security_group_egress_rule" "functions_to_cache" {
  security_group_id            = aws_security_group.functions.id
  description                  = "Redis protocol"
  ip_protocol                  = "tcp"
  from_port                    = local.cache_port
  to_port                      = local.cache_port
  referenced_security_group_id = aws_security_group.cache.id
}

resource "aws_vpc_security_group_egress_rule" "functions_to_endpoints" {
  security_group_id            = aws_security_group.functions.id
  description                  = "AWS APIs through the interface endpoints"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.endpoints.id
}

resource "aws_vpc_security_group_egress_rule" "functions_to_s3" {
  security_group_id = aws_security_group.functions.id
  description       = "S3 through the gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = aws_vpc_endpoint.s3.prefix_list_id
}

# The only egress rule that names an address range: the remote service's address is not known
# in advance, so HTTPS to anywhere, from the dispatcher alone (and through the NAT alone).
resource "aws_vpc_security_group_egress_rule" "dispatch_events_to_https" {
  security_group_id = aws_security_group.dispatch_events.id
  description       = "The remote HTTPS service, and Secrets Manager through its endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "dispatch_events_to_database" {
  security_group_id            = aws_security_group.dispatch_events.id
  description                  = "PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = local.db_port
  to_port                      = local.db_port
  referenced_security_group_id = aws_security_group.database.id
}

# Endpoint policies keep the endpoints to this stack's bucket and secrets: a function cannot
# be used to move data to another bucket or read another secret through them.
data "aws_iam_policy_document" "s3_endpoint" {
  statement {
    sid = "ThisStacksBucketOnly"
    principals {
      type        = "AWS"
      identifiers = [local.account_id]
    }
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.files.arn, "${aws_s3_bucket.files.arn}/*"]
  }
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
  policy            = data.aws_iam_policy_document.s3_endpoint.json

  tags = { Name = "${local.name}-s3" }
}

data "aws_iam_policy_document" "secretsmanager_endpoint" {
  statement {
    sid = "ThisStacksSecretsOnly"
    principals {
      type        = "AWS"
      identifiers = [local.account_id]
    }
    actions = ["secretsmanager:GetSecretValue"]
    resources = [
      aws_secretsmanager_secret.db_runtime.arn,
      aws_secretsmanager_secret.cache.arn,
      aws_secretsmanager_secret.api_key.arn,
      aws_db_instance.main.master_user_secret[0].secret_arn,
    ]
  }
}

resource "aws_vpc_endpoint" "secretsmanager" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.${local.region}.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [for subnet in aws_subnet.private : subnet.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  policy              = data.aws_iam_policy_document.secretsmanager_endpoint.json

  tags = { Name = "${local.name}-secretsmanager" }
}
