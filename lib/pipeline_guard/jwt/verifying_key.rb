# frozen_string_literal: true

module PipelineGuard
  module JWT
    # A parsed verification key (public key or HMAC secret).
    class VerifyingKey
      include NoCopy

      class << self
        # From anything `JWT.decode` accepts as a key (cached).
        def from(key)
          key = Keys.verifying(key)
          raise JWKError, "Expected one key, got a key set" if key.is_a?(Array)

          key
        end

        # An HMAC secret; `enforce_length: false` accepts secrets shorter
        # than the hash output (legacy only).
        def hmac(secret, enforce_length: true)
          _load("hmac", secret, enforce_length)
        end

        def from_pem(pem) = _load("pem", pem, true)
        # X.509 SubjectPublicKeyInfo or PKCS#1 RSAPublicKey DER.
        def from_der(der) = _load("der", der, true)

        def from_jwk(jwk,
                     enforce_length: true)
          _load("jwk", jwk.is_a?(String) ? JSON.parse(jwk) : jwk, enforce_length)
        end
      end
    end
  end
end
