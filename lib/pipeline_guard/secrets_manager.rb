# frozen_string_literal: true

require_relative "rbac"
require_relative "secrets_manager/secret"
require_relative "secrets_manager/permission"
require_relative "secrets_manager/project"
require_relative "secrets_manager/cel_programs"

module PipelineGuard
  # GitLab's secrets-manager permission model, evaluated locally: who may
  # read, write or delete which secret, which secrets a pipeline job may
  # fetch, and the OpenBao policy documents that enforce the same thing.
  module SecretsManager
    # Which of `secrets` (Secret objects or Hashes with :name, :environment,
    # :branch, :protected) a job with these ID token claims may read: sorted
    # names. The claims are checked like GitLab's pipeline role (a refused
    # token raises PipelineGuard::OpenBao::AuthError); with project_id: the
    # token must be for that project.
    def self.pipeline_secrets(secrets, id_token_claims, project_id: nil)
      _pipeline_secrets(secrets, id_token_claims, project_id)
    end

    # The format argument of the policy-returning methods.
    def self.json_format?(format)
      case format
      when :hcl, "hcl" then false
      when :json, "json" then true
      else raise ArgumentError, "format must be :hcl or :json"
      end
    end
  end
end
