terraform {
  # 1.11 brings write-only arguments, which keep every generated secret out of the state.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.45 is the oldest release known to carry aws_elasticache_user.passwords_wo: the npm
      # bindings generated from 6.45.0 (@cdktn/provider-aws 24.1.0) have it, those from 6.40.0
      # (23.7.0) do not, and none were generated in between. terraform-tests checks the whole
      # configuration against the schemas of 6.45.0 and of a current release.
      version = ">= 6.45, < 7.0"
    }
    random = {
      source = "hashicorp/random"
      # 3.7 brings the ephemeral random_password.
      version = ">= 3.7, < 4.0"
    }
  }

  # Partial configuration: bucket, key and region come from -backend-config (see docs/deploy.md),
  # so one configuration serves every account. The lock file lives next to the state in S3.
  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      application = local.name
      managed-by  = "terraform"
    }
  }
}
