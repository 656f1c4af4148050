# frozen_string_literal: true

module PipelineGuard
  module JWT
    module JWK
      # The gem's default kid: SHA-256 (hex) of the DER of the key's
      # public numbers (`key_digest` of each JWK class).
      class KidAsKeyDigest
        def initialize(jwk)
          @jwk = jwk
        end

        def generate = @jwk.key_digest
      end
    end
  end
end
