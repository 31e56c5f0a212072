# Bootstrap root, applied once by an administrator with a local state: the state bucket of the
# main configuration, GitHub's OIDC provider, and the two roles GitHub Actions assumes.
# Neither role can be assumed from any branch but main of the one repository.

terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.45, < 7.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      application = "hello-serverless"
      managed-by  = "terraform-bootstrap"
    }
  }
}

variable "region" {
  description = "AWS region of the state bucket and of the stack."
  type        = string
}

variable "state_bucket_name" {
  description = "Globally unique name of the Terraform state bucket."
  type        = string
}

variable "github_repository" {
  description = "The repository allowed to deploy, as owner/name."
  type        = string
}

variable "create_oidc_provider" {
  description = "False when the account already has the token.actions.githubusercontent.com provider."
  type        = bool
  default     = true
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  name              = "hello-serverless"
  account_id        = data.aws_caller_identity.current.account_id
  partition         = data.aws_partition.current.partition
  oidc_host         = "token.actions.githubusercontent.com"
  oidc_provider_arn = "arn:${local.partition}:iam::${local.account_id}:oidc-provider/${local.oidc_host}"
  # The subject GitHub puts in the token of a job that runs on main (and has no environment).
  main_branch_subject = "repo:${var.github_repository}:ref:refs/heads/main"
  stack_role_arns     = "arn:${local.partition}:iam::${local.account_id}:role/${local.name}-*"

  role_management_actions = [
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:GetRole",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
    "iam:UpdateAssumeRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:ListRoleTags",
    "iam:PutRolePolicy",
    "iam:GetRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:ListRolePolicies",
    "iam:ListAttachedRolePolicies",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:ListInstanceProfilesForRole",
  ]
}

resource "aws_s3_bucket" "state" {
  bucket = var.state_bucket_name

  lifecycle {
    prevent_destroy = true
  }

  #checkov:skip=CKV_AWS_144:The state is small and rebuilt from the configuration; a second region is not worth its cost.
  #checkov:skip=CKV_AWS_145:SSE-S3 (AES-256) encryption; the state holds no secret value (write-only arguments).
  #checkov:skip=CKV_AWS_18:Access is limited to two roles whose calls CloudTrail records.
  #checkov:skip=CKV2_AWS_62:No consumer of object events.
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    id     = "keep-old-states-90-days"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 90
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.state]
}

data "aws_iam_policy_document" "state_bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.state]
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url            = "https://${local.oidc_host}"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "github_main_branch_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = [local.main_branch_subject]
    }
  }
}

# The deploy role administers the stack: PowerUserAccess for the services, and IAM limited to
# the stack's own roles, which it may pass only to the services that use them.
resource "aws_iam_role" "deploy" {
  name                 = "${local.name}-github-deploy"
  description          = "Assumed by the deploy workflow on main of ${var.github_repository}"
  assume_role_policy   = data.aws_iam_policy_document.github_main_branch_trust.json
  max_session_duration = 3600

  depends_on = [aws_iam_openid_connect_provider.github]
}

resource "aws_iam_role_policy_attachment" "deploy_power_user" {
  role       = aws_iam_role.deploy.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/PowerUserAccess"
}

data "aws_iam_policy_document" "deploy_iam" {
  statement {
    sid       = "ManageTheStacksRoles"
    actions   = local.role_management_actions
    resources = [local.stack_role_arns]
  }

  # The GitHub roles share the prefix: without this, the deploy role could widen its own rights.
  statement {
    sid       = "LeaveTheGitHubRolesAlone"
    effect    = "Deny"
    actions   = local.role_management_actions
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/${local.name}-github-*"]
  }

  statement {
    sid       = "PassTheStacksRolesToTheirServices"
    actions   = ["iam:PassRole"]
    resources = [local.stack_role_arns]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["lambda.amazonaws.com", "apigateway.amazonaws.com", "scheduler.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "deploy_iam" {
  name   = "manage-stack-roles"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy_iam.json
}

# The verify role is what the health and requirement-check workflows use: it reads the stack's
# configuration and state, and calls the API as a consumer, but changes nothing.
resource "aws_iam_role" "verify" {
  name                 = "${local.name}-github-verify"
  description          = "Assumed by the health and requirement-check workflows on main of ${var.github_repository}"
  assume_role_policy   = data.aws_iam_policy_document.github_main_branch_trust.json
  max_session_duration = 3600

  depends_on = [aws_iam_openid_connect_provider.github]
}

data "aws_iam_policy_document" "verify" {
  statement {
    sid       = "ReadTheState"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
  }

  statement {
    sid = "ReadTheStacksConfiguration"
    actions = [
      "apigateway:GET",
      "ec2:DescribeSecurityGroupRules",
      "ec2:DescribeSecurityGroups",
      "lambda:GetFunctionConfiguration",
      "logs:DescribeLogGroups",
      "rds:DescribeDBInstances",
      "rds:DescribeDBParameters",
      "elasticache:DescribeReplicationGroups",
      "s3:GetLifecycleConfiguration",
    ]
    # Describe and list calls of these services take no narrower resource.
    resources = ["*"]
  }

  statement {
    sid       = "ReadTheStacksRoles"
    actions   = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"]
    resources = [local.stack_role_arns]
  }

  statement {
    sid       = "ActAsAnApiConsumer"
    actions   = ["sts:AssumeRole"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/${local.name}-consumer-*"]
  }

  #checkov:skip=CKV_AWS_356:Describe and list calls of these services accept no narrower resource.
  #checkov:skip=CKV_AWS_111:The only write-like call is sts:AssumeRole on the stack's consumer roles.
}

resource "aws_iam_role_policy" "verify" {
  name   = "read-the-stack"
  role   = aws_iam_role.verify.id
  policy = data.aws_iam_policy_document.verify.json
}

output "state_bucket" {
  value = aws_s3_bucket.state.bucket
}

output "deploy_role_arn" {
  value = aws_iam_role.deploy.arn
}

output "verify_role_arn" {
  value = aws_iam_role.verify.arn
}
