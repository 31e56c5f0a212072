data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  name       = "hello-serverless"
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region

  # Requirement R7: every log group of the stack keeps seven days, no more, no less.
  log_retention_days = 7

  stage_name    = "live"
  alias_name    = "live"
  db_identifier = "${local.name}-db"
  db_name       = "files"
  db_port       = 5432
  cache_port    = 6379

  # arm64 (Graviton): cheaper per GB-second than x86_64 and supported by SnapStart for java21;
  # the packages are pure Java, so nothing in them depends on the architecture.
  lambda_architecture = "arm64"
  functions_dir       = abspath("${path.root}/../${var.functions_dir}")

  # Two private subnets in two zones, with no route to the internet: every function but
  # dispatch-events, the database, the cache and the endpoints.
  private_subnets = {
    a = { zone_index = 0, cidr_index = 0 }
    b = { zone_index = 1, cidr_index = 1 }
  }

  # Two private subnets routed to the NAT gateway: the functions with `egress = true` alone,
  # that is dispatch-events (a policy test holds it so).
  egress_subnets = {
    a = { zone_index = 0, cidr_index = 2 }
    b = { zone_index = 1, cidr_index = 3 }
  }

  # The one public subnet, holding the NAT gateway (one zone: see docs/deploy.md).
  public_subnet = { zone_index = 0, cidr_index = 4 }

  # One entry per Lambda function. An API function's timeout holds its worst path, every remote
  # call on it as slow as its own timeout allows, plus a second to answer 503
  # (docs/adr/0007-time-budget.md; TimeBudgetTest). `uses` selects the environment variables (env_groups below)
  # and must agree with the function's IAM policy in iam.tf. Reserved concurrency caps the
  # database connections: see docs/adr/0003-database-connections.md. `egress` puts a function
  # in the VPC's egress subnets (a route to the internet through the NAT) instead of the
  # private ones. `snap_start`: the API functions start from a SnapStart snapshot (their hooks
  # prime them); the scheduled ones, whose latency no consumer waits on, start on demand from
  # their class-data archive (env_on_demand).
  functions = {
    create-file = {
      handler     = "CreateFileFunction"
      memory      = 1024
      timeout     = 28
      concurrency = 15
      in_vpc      = true
      egress      = false
      uses        = ["db", "cache", "bucket"]
      snap_start  = true
    }
    read-file = {
      handler     = "ReadFileFunction"
      memory      = 1024
      timeout     = 22
      concurrency = 25
      in_vpc      = true
      egress      = false
      uses        = ["db", "cache", "bucket"]
      snap_start  = true
    }
    list-files = {
      handler     = "ListFilesFunction"
      memory      = 1024
      timeout     = 15
      concurrency = 10
      in_vpc      = true
      egress      = false
      uses        = ["db"]
      snap_start  = true
    }
    update-file = {
      handler     = "UpdateFileFunction"
      memory      = 1024
      timeout     = 28
      concurrency = 10
      in_vpc      = true
      egress      = false
      uses        = ["db", "cache", "bucket"]
      snap_start  = true
    }
    delete-file = {
      handler     = "DeleteFileFunction"
      memory      = 1024
      timeout     = 25
      concurrency = 10
      in_vpc      = true
      egress      = false
      uses        = ["db", "cache", "bucket"]
      snap_start  = true
    }
    health = {
      handler     = "HealthFunction"
      memory      = 1024
      timeout     = 10
      concurrency = 2
      in_vpc      = true
      egress      = false
      uses        = ["db", "cache", "bucket"]
      snap_start  = true
    }
    purge-expired = {
      handler     = "PurgeExpiredFunction"
      memory      = 1024
      timeout     = 300
      concurrency = 1
      in_vpc      = true
      egress      = false
      uses        = ["db", "cache", "bucket"]
      snap_start  = false
    }
    migrate = {
      handler     = "MigrateFunction"
      memory      = 1024
      timeout     = 300
      concurrency = 1
      in_vpc      = true
      egress      = false
      uses        = ["db", "db_admin"]
      snap_start  = false
    }
    # Outside the VPC on purpose: it reaches the API the way a consumer does, through the
    # public custom domain, and touches no private resource.
    synthetic-check = {
      handler     = "SyntheticCheckFunction"
      memory      = 512
      timeout     = 60
      concurrency = 1
      in_vpc      = false
      egress      = false
      uses        = ["api"]
      snap_start  = false
    }
    # Every minute, delivers the outbox's change events to the remote HTTPS service
    # (docs/change-events.md). Concurrency 1: runs never overlap. The only function with a
    # route to the internet.
    dispatch-events = {
      handler     = "DispatchEventsFunction"
      memory      = 1024
      timeout     = 300
      concurrency = 1
      in_vpc      = true
      egress      = true
      uses        = ["db", "webhook"]
      snap_start  = false
    }
  }

  # Connections kept free for operators and PostgreSQL's superuser_reserved_connections; the
  # precondition on aws_db_parameter_group.main holds the functions to the rest.
  db_connection_headroom = 10

  env_common = {
    LOG_LEVEL         = var.log_level
    JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
  }

  # A function without SnapStart starts its JVM on every cold start: it maps the class-data
  # archive that the deploy workflow trained for it inside the Lambda Java 21 image and put at the
  # root of its zip (.github/scripts/class-data-archive.sh; docs/adr/0015-snapstart-priming.md). A
  # JVM that finds the archive stale (another JDK build, other jars) warns and runs without it.
  env_on_demand = {
    JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=/var/task/classes.jsa"
  }

  # Names, endpoints and secret ARNs only: secret values are read at run time (requirement R10).
  env_groups = {
    db = {
      # DB_SSLROOTCERT: AWS's RDS CA bundle, in the layer every database function carries
      # (functions.tf), for DB_SSLMODE=verify-full.
      DB_HOST        = aws_db_instance.main.address
      DB_PORT        = tostring(local.db_port)
      DB_NAME        = local.db_name
      DB_SSLMODE     = "verify-full"
      DB_SSLROOTCERT = "/opt/rds-ca/global-bundle.pem"
      DB_SECRET_ARN  = aws_secretsmanager_secret.db_runtime.arn
    }
    db_admin = {
      DB_ADMIN_SECRET_ARN = aws_db_instance.main.master_user_secret[0].secret_arn
    }
    cache = {
      REDIS_HOST       = aws_elasticache_replication_group.cache.primary_endpoint_address
      REDIS_PORT       = tostring(local.cache_port)
      REDIS_TLS        = "true"
      REDIS_SECRET_ARN = aws_secretsmanager_secret.cache.arn
    }
    bucket = {
      BUCKET_NAME    = aws_s3_bucket.files.bucket
      MAX_FILE_BYTES = tostring(var.max_file_bytes)
    }
    api = {
      API_BASE_URL = "https://${var.domain_name}"
    }
    webhook = {
      WEBHOOK_URL        = var.webhook_url
      API_KEY_SECRET_ARN = aws_secretsmanager_secret.api_key.arn
    }
  }

  # The API's routes and the function behind each; openapi.yaml declares the same table and a
  # policy test holds the two together.
  routes = {
    create = { method = "POST", path = "/v1/files", function = "create-file" }
    list   = { method = "GET", path = "/v1/files", function = "list-files" }
    read   = { method = "GET", path = "/v1/files/{name}", function = "read-file" }
    head   = { method = "HEAD", path = "/v1/files/{name}", function = "read-file" }
    update = { method = "PUT", path = "/v1/files/{name}", function = "update-file" }
    delete = { method = "DELETE", path = "/v1/files/{name}", function = "delete-file" }
    health = { method = "GET", path = "/v1/health", function = "health" }
  }

  # execute-api ARN of each route: <api>/<stage>/<METHOD>/<path>, the path parameter becoming *.
  path_parameter = "{name}"
  route_arns = {
    for id, route in local.routes :
    id => format("%s/%s/%s%s", aws_api_gateway_rest_api.api.execution_arn, local.stage_name, route.method, replace(route.path, local.path_parameter, "*"))
  }
}
