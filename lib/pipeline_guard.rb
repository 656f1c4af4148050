# frozen_string_literal: true

require "json"
require_relative "pipeline_guard/version"
require_relative "pipeline_guard/errors"
require_relative "pipeline_guard/native"
require_relative "pipeline_guard/no_copy"
require_relative "pipeline_guard/crypto"
require_relative "pipeline_guard/keyring"
require_relative "pipeline_guard/jwt"
require_relative "pipeline_guard/dsse"
require_relative "pipeline_guard/slsa"
require_relative "pipeline_guard/rbac"
require_relative "pipeline_guard/secrets_manager"
require_relative "pipeline_guard/sigstore"
require_relative "pipeline_guard/instrumentation"
require_relative "pipeline_guard/openbao/client"
require_relative "pipeline_guard/openbao/jwt_auth"
require_relative "pipeline_guard/openbao/policy"
require_relative "pipeline_guard/openbao/acl"
require_relative "pipeline_guard/openbao/policy_sync"
require_relative "pipeline_guard/openbao/audit_log"

# Native security hot paths for a Rails secrets manager: transit-compatible
# keyrings, JWT, OpenBao ACL evaluation and RBAC. See README.md.
module PipelineGuard
end
