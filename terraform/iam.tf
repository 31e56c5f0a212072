# One execution role per function (requirement R8): each gets the central log group, the
# network interfaces when it runs in the VPC, and exactly the actions and resources of its own
# policy document below. No action is a wildcard.

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each = local.functions

  name               = "${local.name}-${each.key}"
  description        = "Execution role of the ${each.key} function, and of no other"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

data "aws_iam_policy_document" "function_logs" {
  statement {
    sid       = "WriteToTheCentralLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.functions.arn}:*"]
  }
}

resource "aws_iam_role_policy" "function_logs" {
  for_each = local.functions

  name   = "central-log-group"
  role   = aws_iam_role.function[each.key].id
  policy = data.aws_iam_policy_document.function_logs.json
}

# Lambda creates the functions' network interfaces with the execution role. EC2's Describe
# actions support no resource-level permissions, and Lambda names no interface in advance.
data "aws_iam_policy_document" "function_vpc" {
  statement {
    sid = "ManageTheFunctionsNetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSubnets",
      "ec2:DeleteNetworkInterface",
      "ec2:AssignPrivateIpAddresses",
      "ec2:UnassignPrivateIpAddresses",
    ]
    resources = ["*"]
  }
  #checkov:skip=CKV_AWS_111:Lambda's VPC networking needs these EC2 actions on any interface (see the comment above).
  #checkov:skip=CKV_AWS_356:Lambda's VPC networking needs these EC2 actions on any interface (see the comment above).
}

resource "aws_iam_role_policy" "function_vpc" {
  for_each = { for name, function in local.functions : name => function if function.in_vpc }

  name   = "vpc-network-interfaces"
  role   = aws_iam_role.function[each.key].id
  policy = data.aws_iam_policy_document.function_vpc.json
}

resource "aws_iam_role_policy" "function" {
  for_each = local.functions

  name   = "own-resources"
  role   = aws_iam_role.function[each.key].id
  policy = local.function_policies[each.key]
}

locals {
  function_policies = {
    create-file     = data.aws_iam_policy_document.create_file.json
    read-file       = data.aws_iam_policy_document.read_file.json
    list-files      = data.aws_iam_policy_document.list_files.json
    update-file     = data.aws_iam_policy_document.update_file.json
    delete-file     = data.aws_iam_policy_document.delete_file.json
    health          = data.aws_iam_policy_document.health.json
    purge-expired   = data.aws_iam_policy_document.purge_expired.json
    migrate         = data.aws_iam_policy_document.migrate.json
    synthetic-check = data.aws_iam_policy_document.synthetic_check.json
    dispatch-events = data.aws_iam_policy_document.dispatch_events.json
  }
}

data "aws_iam_policy_document" "create_file" {
  statement {
    sid       = "ReadTheRuntimeSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.db_runtime.arn, aws_secretsmanager_secret.cache.arn]
  }
  statement {
    sid = "WriteBlobsAndRemoveTheBlobOfAFailedCommit"
    # s3:DeleteObject removes the new blob when the metadata commit is refused (a commit that
    # failed may still land: its blob is left to the purge's orphan collection).
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.files.arn}/*"]
  }
}

data "aws_iam_policy_document" "read_file" {
  statement {
    sid       = "ReadTheRuntimeSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.db_runtime.arn, aws_secretsmanager_secret.cache.arn]
  }
  statement {
    sid       = "ReadBlobs"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.files.arn}/*"]
  }
  statement {
    sid = "TellAMissingBlobFromARefusal"
    # Without s3:ListBucket S3 answers 403, not 404, for a key that does not exist, and a file
    # whose blob is gone would be a 503 instead of the 404 the core answers for it.
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.files.arn]
  }
}

data "aws_iam_policy_document" "list_files" {
  statement {
    sid       = "ReadTheDatabaseSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.db_runtime.arn]
  }
}

data "aws_iam_policy_document" "update_file" {
  statement {
    sid       = "ReadTheRuntimeSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.db_runtime.arn, aws_secretsmanager_secret.cache.arn]
  }
  statement {
    sid = "WriteNewBlobsAndRemoveReplacedOnes"
    # A write stores a new blob; the replaced one (or the new one, on a refused commit) is deleted.
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.files.arn}/*"]
  }
}

data "aws_iam_policy_document" "delete_file" {
  statement {
    sid       = "ReadTheRuntimeSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.db_runtime.arn, aws_secretsmanager_secret.cache.arn]
  }
  statement {
    sid       = "RemoveBlobs"
    actions   = ["s3:DeleteObject"]
    resources = ["${aws_s3_bucket.files.arn}/*"]
  }
}

data "aws_iam_policy_document" "health" {
  statement {
    sid       = "ReadTheRuntimeSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.db_runtime.arn, aws_secretsmanager_secret.cache.arn]
  }
  statement {
    sid = "ProbeTheBucket"
    # HeadBucket, the storage probe, is authorised by s3:ListBucket.
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.files.arn]
  }
}

data "aws_iam_policy_document" "purge_expired" {
  statement {
    sid       = "ReadTheRuntimeSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.db_runtime.arn, aws_secretsmanager_secret.cache.arn]
  }
  statement {
    sid       = "RemoveTheBlobsOfExpiredFilesAndOrphanBlobs"
    actions   = ["s3:DeleteObject"]
    resources = ["${aws_s3_bucket.files.arn}/*"]
  }
  statement {
    sid = "ListTheBucketForOrphanBlobs"
    # The orphan collection (docs/adr/0012-orphan-collection.md) lists the keys and their age; no
    # function that writes may list.
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.files.arn]
  }
}

data "aws_iam_policy_document" "migrate" {
  statement {
    sid = "ReadTheMasterAndRuntimeDatabaseSecrets"
    # The master credentials run the DDL; the runtime secret's password is set on the DML role.
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_db_instance.main.master_user_secret[0].secret_arn, aws_secretsmanager_secret.db_runtime.arn]
  }
}

data "aws_iam_policy_document" "synthetic_check" {
  statement {
    sid     = "CallTheApiLikeAReadWriteConsumer"
    actions = ["execute-api:Invoke"]
    resources = [
      local.route_arns.create,
      local.route_arns.read,
      local.route_arns.delete,
      local.route_arns.health,
    ]
  }
}

data "aws_iam_policy_document" "dispatch_events" {
  statement {
    sid = "ReadTheDatabaseSecretAndTheRemoteServicesApiKey"
    # No cache and no bucket: the dispatcher reads and deletes outbox rows and calls out.
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.db_runtime.arn, aws_secretsmanager_secret.api_key.arn]
  }
}
