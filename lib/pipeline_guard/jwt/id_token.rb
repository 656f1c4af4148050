# frozen_string_literal: true

module PipelineGuard
  module JWT
    # GitLab CI job ID-token claims (`id_tokens:` in .gitlab-ci.yml).
    module IdToken
      # `job_info` keys (String or Symbol): issuer, audience (String or
      # Array), issued_at (default: now), ttl_seconds (300), namespace_id,
      # namespace_path, project_id, project_path, user_id, user_login,
      # user_email, user_access_level, user_identities, pipeline_id,
      # pipeline_source, job_id, ref, ref_type ("branch"/"tag"), ref_path,
      # ref_protected, environment ({name:, protected:, action:,
      # deployment_tier:}), runner_id, runner_environment, sha,
      # project_visibility, ci_config_ref_uri, ci_config_sha,
      # secrets_manager_scope, project_group_ids. Unknown keys raise
      # EncodeError.
      def self.claims(job_info = nil, jti: nil, **fields)
        _claims(with_defaults(job_info || fields), jti)
      end

      def self.with_defaults(job_info)
        raise TypeError, "job_info must be a Hash" unless job_info.is_a?(Hash)
        return job_info if job_info.key?(:issued_at) || job_info.key?("issued_at")

        job_info.merge(issued_at: Time.now.to_i)
      end
    end
  end
end
