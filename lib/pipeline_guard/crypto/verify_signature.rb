# frozen_string_literal: true

module PipelineGuard
  module Crypto
    # Verifies a raw JWS signature (`alg` a JWS name such as "RS256",
    # "PS512", "ES256" with an r||s signature, "EdDSA", "HS256") over
    # `message`. `public_key`: OpenSSL key, PEM, JWK Hash, String HMAC
    # secret or PipelineGuard::JWT::VerifyingKey. Returns true or false;
    # raises InvalidKeyError for a key that cannot be used with `alg`
    # (wrong type or curve, RSA under 2048 bits or e < 65537, short HMAC
    # secret) and InvalidInput for an unknown algorithm.
    def self.verify_signature(alg, public_key, message, signature)
      key = begin
        JWT::VerifyingKey.from(public_key)
      rescue JWT::JWKError => e
        raise InvalidKeyError, e.message
      end
      _verify_signature(alg.to_s, key, message, signature)
    end
  end
end
