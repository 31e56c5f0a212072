# File contents (requirement R5): private, encrypted, TLS-only, and nothing kept beyond 30 days.

resource "aws_s3_bucket" "files" {
  bucket_prefix = "${local.name}-files-"

  #checkov:skip=CKV_AWS_144:File contents live 30 days and can be re-uploaded; a second region is not worth its cost here.
  #checkov:skip=CKV_AWS_145:SSE-S3 (AES-256) encryption; a customer KMS key would add a KMS call to every read and write.
  #checkov:skip=CKV_AWS_18:Every access goes through the API, whose access log names the caller; server access logs would add a second bucket to secure.
  #checkov:skip=CKV2_AWS_62:No consumer of object events.
}

resource "aws_s3_bucket_public_access_block" "files" {
  bucket                  = aws_s3_bucket.files.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "files" {
  bucket = aws_s3_bucket.files.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "files" {
  bucket = aws_s3_bucket.files.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Versioning gives a one-day window to recover a blob deleted by mistake; the lifecycle below
# removes noncurrent versions after that day, so nothing outlives its 30 days by more.
resource "aws_s3_bucket_versioning" "files" {
  bucket = aws_s3_bucket.files.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "files" {
  bucket = aws_s3_bucket.files.id

  # Every write stores a new object, so "30 days after it is written" is the object's age.
  rule {
    id     = "expire-30-days-after-write"
    status = "Enabled"

    filter {}

    expiration {
      days = 30
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  rule {
    id     = "remove-expired-delete-markers"
    status = "Enabled"

    filter {}

    expiration {
      expired_object_delete_marker = true
    }
  }

  depends_on = [aws_s3_bucket_versioning.files]
}

data "aws_iam_policy_document" "files_bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [aws_s3_bucket.files.arn, "${aws_s3_bucket.files.arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid     = "DenyTlsBelow12"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [aws_s3_bucket.files.arn, "${aws_s3_bucket.files.arn}/*"]
    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }
}

resource "aws_s3_bucket_policy" "files" {
  bucket = aws_s3_bucket.files.id
  policy = data.aws_iam_policy_document.files_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.files]
}
