# frozen_string_literal: true

require "openssl"
require "base64"
require "json"
require "digest"
require "securerandom"

module PipelineGuard
  module RSpec
    # Test keys and tokens. Everything here is for tests only: the keyring
    # key is derived from a public constant.
    module Fixtures
      ISSUER = "https://gitlab.test"
      AUDIENCE = "https://openbao.test"
      KEYRING_SEED = "pipeline_guard test keyring v1"

      class << self
        # A keyring whose version-1 key is fixed, so fixtures stay decryptable
        # across runs. Each call returns a fresh copy (rotate it freely).
        def keyring(derived: false, convergent: false)
          key = Base64.strict_encode64(Digest::SHA256.digest(KEYRING_SEED))
          Keyring.from_transit_export({ "keys" => { "1" => key } }, derived:, convergent:)
        end

        # One RSA key per process.
        def private_key
          @private_key ||= OpenSSL::PKey::RSA.new(2048)
        end

        def public_key = private_key.public_key

        def signer
          @signer ||= PipelineGuard::JWT::Signer.new(private_key, algorithm: "RS256")
        end

        def jwks = signer.jwks

        # Claims GitLab puts in a CI job ID token, with `overrides` merged in
        # (string or symbol keys; a nil value removes the claim).
        def id_token_claims(overrides = {}, now: Time.now.to_i, ttl: 300)
          base = {
            "iss" => ISSUER, "aud" => AUDIENCE, "sub" => "project_path:group/project:ref_type:branch:ref:main",
            "iat" => now, "nbf" => now - 1, "exp" => now + ttl, "jti" => SecureRandom.hex(16),
            "namespace_id" => "1", "namespace_path" => "group", "project_id" => "1",
            "project_path" => "group/project", "user_id" => "1", "user_login" => "root",
            "pipeline_id" => "1", "pipeline_source" => "push", "job_id" => "1", "ref" => "main",
            "ref_type" => "branch", "ref_path" => "refs/heads/main", "ref_protected" => "true",
            "secrets_manager_scope" => "pipeline"
          }
          overrides.each do |k, v|
            v.nil? ? base.delete(k.to_s) : base[k.to_s] = v
          end
          base
        end

        # Claims may come as a Hash, as keywords, or both.
        def id_token(overrides = {}, now: Time.now.to_i, ttl: 300, **claims)
          signer.sign(id_token_claims(overrides.merge(claims), now:, ttl:))
        end
      end
    end
  end
end
