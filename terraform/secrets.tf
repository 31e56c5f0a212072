# Secrets (requirement R10). No secret value is ever in the Terraform state or plan:
# - the database master password is created and rotated by RDS (manage_master_user_password);
# - the runtime database role's and the cache user's passwords are ephemeral random values,
#   written through write-only arguments (secret_string_wo, passwords_wo);
# - the remote service's API key is put out of band (docs/deploy.md), so only its container
#   is declared here.

ephemeral "random_password" "db_runtime" {
  length           = 40
  override_special = "!#$%&*()-_=+[]{}<>:?"
}

resource "aws_secretsmanager_secret" "db_runtime" {
  name                    = "${local.name}/db-runtime"
  description             = "Credentials of the DML-only runtime database role; the migrate function creates the role from them."
  recovery_window_in_days = 7

  #checkov:skip=CKV_AWS_149:Encrypted with the Secrets Manager service key, which every reader here may use without a key policy.
  #checkov:skip=CKV2_AWS_57:Rotated by increasing db_password_version and re-running migrate (docs/deploy.md).
}

resource "aws_secretsmanager_secret_version" "db_runtime" {
  secret_id = aws_secretsmanager_secret.db_runtime.id
  secret_string_wo = jsonencode({
    username = "hs_app"
    password = ephemeral.random_password.db_runtime.result
  })
  secret_string_wo_version = var.db_password_version
}

resource "aws_secretsmanager_secret" "cache" {
  name                    = "${local.name}/cache-user"
  description             = "Credentials of the ElastiCache RBAC user of the functions."
  recovery_window_in_days = 7

  #checkov:skip=CKV_AWS_149:Encrypted with the Secrets Manager service key, which every reader here may use without a key policy.
  #checkov:skip=CKV2_AWS_57:Rotated by increasing cache_password_version (docs/deploy.md).
}

resource "aws_secretsmanager_secret_version" "cache" {
  secret_id = aws_secretsmanager_secret.cache.id
  secret_string_wo = jsonencode({
    username = aws_elasticache_user.app.user_name
    password = ephemeral.random_password.cache_app.result
  })
  secret_string_wo_version = var.cache_password_version
}

# The remote service's API key, read by the outbox dispatcher of a later issue. Its value comes
# from the remote service and is put with the CLI command in docs/deploy.md.
resource "aws_secretsmanager_secret" "api_key" {
  name                    = "${local.name}/remote-api-key"
  description             = "API key of the remote HTTPS service; value put out of band."
  recovery_window_in_days = 7

  #checkov:skip=CKV_AWS_149:Encrypted with the Secrets Manager service key, which every reader here may use without a key policy.
  #checkov:skip=CKV2_AWS_57:The key is issued by the remote service; it is rotated there and put again.
}
