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

    # GitLab's CI ID token claims for a job of `project` run by `user`.
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

    def verify(token) = verifier.verify(token)

    private

    def private_key
      @private_key ||= OpenSSL::PKey::RSA.new(2048)
    end
  end
end
