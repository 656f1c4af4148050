# frozen_string_literal: true

require "json"

module PipelineGuard
  module JWT
    # The constructors SigningKey and VerifyingKey share, over their native
    # `_load(kind, data, enforce_length)`. DER: PKCS#8, PKCS#1 or SEC1 for
    # a SigningKey; X.509 SubjectPublicKeyInfo or PKCS#1 RSAPublicKey for a
    # VerifyingKey.
    module KeyLoaders
      # An HMAC secret; `enforce_length: false` accepts secrets shorter
      # than the hash output (legacy only).
      def hmac(secret, enforce_length: true) = _load("hmac", secret, enforce_length)

      def from_pem(pem) = _load("pem", pem, true)

      def from_der(der) = _load("der", der, true)

      # A JWK as a Hash or JSON text.
      def from_jwk(jwk, enforce_length: true)
        _load("jwk", jwk.is_a?(String) ? JSON.parse(jwk) : jwk, enforce_length)
      end
    end
  end
end
