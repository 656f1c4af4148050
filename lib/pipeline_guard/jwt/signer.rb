# frozen_string_literal: true

module PipelineGuard
  module JWT
    # Signs tokens with one key, parsed once. The header is
    # `{"alg", "kid", "typ" => "JWT"}` plus extra fields; `kid` defaults to
    # the RFC 7638 thumbprint of the public key.
    class Signer
      include NoCopy

      # Native: `new(private_key, algorithm: nil, kid: nil)`.
      # `private_key`: OpenSSL private key, PEM String, JWK Hash (or a
      # String HMAC secret). `algorithm` defaults to the key's natural one
      # (RS256 for RSA, ES256/384/512 by curve, EdDSA, HS256).

      def sign(claims, header = {})
        _sign(claims, header)
      end

      # A GitLab CI job ID token; see IdToken.claims for `job_info` (a
      # Hash, or the same fields as keywords).
      def mint_id_token(job_info = nil, jti: nil, **fields)
        _mint_id_token(IdToken.with_defaults(job_info || fields), jti)
      end

      # A Verifier for this signer's own tokens.
      def verifier(**options)
        Verifier.new(jwks:, algorithms: [algorithm], **options)
      end
    end
  end
end
