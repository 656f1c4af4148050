# frozen_string_literal: true

require_relative "key_loaders"

module PipelineGuard
  module JWT
    # A parsed private key or HMAC secret.
    class SigningKey
      include NoCopy
      extend KeyLoaders

      class << self
        def from(key) = Keys.signing(key)

        # A fresh key: "RSA" (2048 bits), "P-256"/"EC", "P-384", "P-521",
        # "Ed25519" or "HMAC" (64 random bytes).
        def generate(type) = _generate(type.to_s)
      end

      def public_jwk(kid: nil, algorithm: nil) = _public_jwk(kid, algorithm&.to_s)
    end
  end
end
