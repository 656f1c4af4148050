# frozen_string_literal: true

require "openssl"

# Mints CI job ID tokens (what GitLab puts in `id_tokens:`) with a signer
# that keeps its parsed key, publishes the JWKS, and verifies tokens the
# way OpenBao's JWT auth would.
module IdTokens
  ISSUER = ENV.fetch("SECRETS_MANAGER_ISSUER", "http://gitlab.example")
  TTL = 300

  class << self
    def audience = ENV.fetch("BAO_ADDR", "http://openbao.example")

    def signer
      @signer ||= PipelineGuard::Rails::Instrumented.signer(
        PipelineGuard::JWT::Signer.new(private_key, algorithm: "RS256")
      )
    end

    def verifier
      @verifier ||= PipelineGuard::Rails::Instrumented.verifier(
        PipelineGuard::JWT::Verifier.new(jwks: signer.jwks, algorithms: ["RS256"], issuer: ISSUER,
                                         audience:, leeway: 0)
      )
    end

    def jwks = signer.jwks

    def public_key_pem = private_key.public_key.to_pem

    # Low level: a token with exactly these claims (specs use it to craft
    # tokens). Jobs get theirs from `for_build`.
    def mint(project:, user:, ref:, ref_type: "branch", environment: nil, ref_protected: false, now: Time.now.to_i)
      claims = {
        "iss" => ISSUER, "aud" => audience, "iat" => now, "nbf" => now - 1, "exp" => now + TTL,
        "jti" => SecureRandom.uuid, "sub" => "project_path:#{project.full_path}:ref_type:#{ref_type}:ref:#{ref}",
        "namespace_id" => project.group_id.to_s, "namespace_path" => project.full_path.split("/")[0...-1].join("/"),
        "project_id" => project.id.to_s, "project_path" => project.full_path, "user_id" => user.id.to_s,
        "user_login" => user.username, "pipeline_id" => "1", "pipeline_source" => "push", "job_id" => "1",
        "ref" => ref, "ref_type" => ref_type, "ref_path" => "refs/#{ref_type == 'tag' ? 'tags' : 'heads'}/#{ref}",
        "ref_protected" => ref_protected.to_s, "secrets_manager_scope" => "pipeline"
      }
      claims["environment"] = environment if environment
      signer.sign(claims)
    end

    # The ID token of a job, every claim taken from the job record and the
    # pipeline it belongs to (GitLab's Gitlab::Ci::JwtV2 claims plus the
    # secrets-manager ones), so nothing a client sent can change them.
    def for_build(build, now: Time.now.to_i)
      claims = token_times(now).merge(project_claims(build.project)).merge(job_claims(build))
      if build.environment.present?
        claims["environment"] = build.environment
        claims["environment_protected"] = build.environment_protected?.to_s
      end
      signer.sign(claims)
    end

    # The project's group and every group above it (GitLab's
    # `project_group_ids` claim, which group pipeline roles check).
    def project_group_ids(project)
      path = project.full_path.split("/")[0...-1]
      prefixes = path.each_index.map { |i| path[0..i].join("/") }
      Group.where(full_path: prefixes).order(:id).pluck(:id)
    end

    def verify(token) = verifier.verify(token)

    private

    def token_times(now)
      { "iss" => ISSUER, "aud" => audience, "iat" => now, "nbf" => now - 1, "exp" => now + TTL,
        "jti" => SecureRandom.uuid }
    end

    def project_claims(project)
      { "namespace_id" => project.group_id.to_s, "namespace_path" => project.full_path.split("/")[0...-1].join("/"),
        "project_id" => project.id.to_s, "project_path" => project.full_path,
        "project_group_ids" => project_group_ids(project), "secrets_manager_scope" => "pipeline" }
    end

    def job_claims(build)
      {
        "sub" => "project_path:#{build.project.full_path}:ref_type:#{build.ref_type}:ref:#{build.ref}",
        "user_id" => build.user_id.to_s, "user_login" => build.user.username,
        "pipeline_id" => build.pipeline_id.to_s, "pipeline_source" => build.pipeline.source,
        "job_id" => build.id.to_s, "ref" => build.ref, "ref_type" => build.ref_type, "ref_path" => build.ref_path,
        "ref_protected" => build.ref_protected?.to_s, "sha" => build.sha,
        "runner_id" => build.runner_id.to_i, "runner_environment" => "self-hosted"
      }
    end

    # Replicas of the app must share one key (a token minted by one is
    # verified by another): SECRETS_MANAGER_SIGNING_KEY_FILE names a PEM
    # RSA key; without it each process makes its own.
    def private_key
      @private_key ||= if (file = ENV.fetch("SECRETS_MANAGER_SIGNING_KEY_FILE", nil))
                         OpenSSL::PKey::RSA.new(File.read(file))
                       else
                         OpenSSL::PKey::RSA.new(2048)
                       end
    end
  end
end
