# frozen_string_literal: true

module PipelineGuard
  module JWT
    # A parsed private key or HMAC secret.
    class SigningKey
      include NoCopy

      class << self
        def from(key) = Keys.signing(key)

        def hmac(secret, enforce_length: true)
          _load("hmac", secret, enforce_length)
        end

        def from_pem(pem) = _load("pem", pem, true)
        # PKCS#8, PKCS#1 or SEC1 DER.
        def from_der(der) = _load("der", der, true)

        def from_jwk(jwk,
                     enforce_length: true)
          _load("jwk", jwk.is_a?(String) ? JSON.parse(jwk) : jwk, enforce_length)
        end

        # A fresh key: "RSA" (2048 bits), "P-256"/"EC", "P-384", "P-521",
        # "Ed25519" or "HMAC" (64 random bytes).
        def generate(type) = _generate(type.to_s)
      end

      def public_jwk(kid: nil, algorithm: nil) = _public_jwk(kid, algorithm&.to_s)
    end
  end
end
