# frozen_string_literal: true

module PipelineGuard
  module JWT
    module JWA
      # EdDSA with Ed25519 keys as OpenSSL::PKey objects (no RbNaCl).
      class Eddsa
        include NativeAlgorithm

        def initialize(alg)
          @alg = alg
        end

        def valid_alg?(alg_to_check)
          %w[EdDSA ED25519].any? { |name| name.casecmp(alg_to_check.to_s).zero? }
        end

        def sign(data:, signing_key:)
          Crypto._sign("EdDSA", signing_key_for(signing_key), data.to_s)
        end

        def verify(data:, signature:, verification_key:)
          key = VerifyingKey.from(verification_key)
          raise IncorrectAlgorithm, "A #{key.key_type} key cannot be used with EdDSA" unless key.fits?("EdDSA")
          return false unless signature.is_a?(String)

          Crypto._verify_signature("EdDSA", key, data.to_s, signature)
        end

        register_algorithm(new("EdDSA"))
      end
    end
  end
end
