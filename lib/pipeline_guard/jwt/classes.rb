# frozen_string_literal: true

module PipelineGuard
  module JWT
    # Objects holding key material refuse Marshal, dup and clone.
    module NoCopy
      def _dump(_level)
        raise TypeError, "#{self.class} cannot be marshalled (it holds key material)"
      end

      def marshal_dump
        raise TypeError, "#{self.class} cannot be marshalled (it holds key material)"
      end

      def initialize_copy(_other)
        raise TypeError, "#{self.class} cannot be copied"
      end
    end

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

    # Signs tokens with one key, parsed once. The header is
    # `{"alg", "kid", "typ" => "JWT"}` plus extra fields; `kid` defaults to
    # the RFC 7638 thumbprint of the public key.
    class Signer
      include NoCopy

      # `private_key`: OpenSSL private key, PEM String, JWK Hash (or a
      # String HMAC secret). `algorithm` defaults to the key's natural one
      # (RS256 for RSA, ES256/384/512 by curve, EdDSA, HS256).
      def self.new(private_key, algorithm: nil, kid: nil)
        kind, data = Keys.signing_source(private_key)
        _new(kind, data, algorithm&.to_s, kid&.to_s, JWT.enforce_hmac_key_length)
      end

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

    # Signers under rotation: the newest signs, every live one is
    # published, retired ones disappear from the JWKS.
    class SignerSet
      include NoCopy

      def self.new(signers = [])
        set = _new
        signers.each { |s| set.rotate(s) }
        set
      end

      # Adds a Signer (or a private key, with Signer.new's options) as the
      # current one; returns its kid.
      def rotate(signer, **options)
        signer = Signer.new(signer, **options) unless signer.is_a?(Signer)
        _rotate(signer)
      end

      def sign(claims, header = {})
        _sign(claims, header)
      end

      def mint_id_token(job_info = nil, jti: nil, **fields)
        _mint_id_token(IdToken.with_defaults(job_info || fields), jti)
      end

      # A Verifier that accepts every live key of the set.
      def verifier(algorithms: nil, **options)
        algorithms ||= jwks["keys"].map { |k| k["alg"] }.uniq
        Verifier.new(jwks:, algorithms:, **options)
      end
    end

    # A fixed key set, allowlist and claim rules. `verify` returns the
    # claims Hash or raises a DecodeError subclass; `verify_many` returns,
    # in order, a claims Hash or the DecodeError instance for each token.
    class Verifier
      include NoCopy

      # `jwks`: a JWKS Hash or JSON String; `keys`: one key or an Array (as
      # JWT.decode takes them). `issuer`/`audience`: a String or Symbol or
      # a list (Array, Set) of accepted values; `subject` a String. nil
      # skips that check; a value that cannot be compared (nil or another
      # type in a list, an empty String or list) raises ArgumentError.
      # exp and nbf are always checked (with `leeway`).
      def self.new(algorithms:, jwks: nil, keys: nil, issuer: nil, audience: nil, subject: nil, leeway: 0,
                   required_claims: [], max_token_bytes: DEFAULT_MAX_TOKEN_BYTES, verify_iat: false)
        jwks = JSON.parse(jwks) if jwks.is_a?(String)
        _new(jwks, key_sources(keys), Array(algorithms).map(&:to_s), expectation(issuer, :issuer),
             expectation(audience, :audience), subject.nil? ? nil : text(subject, :subject), Integer(leeway),
             names(required_claims), Integer(max_token_bytes), verify_iat == true, JWT.enforce_hmac_key_length)
      end

      def self.expectation(value, name)
        return nil if value.nil?
        return text(value, name) if value.is_a?(String) || value.is_a?(Symbol)

        list = names(value, name)
        raise ArgumentError, "#{name}: must not be an empty list" if list.empty?

        list
      end

      def self.names(value, name = :required_claims)
        return [text(value, name)] if value.is_a?(String) || value.is_a?(Symbol)
        unless value.respond_to?(:to_a) && !value.is_a?(Hash)
          raise ArgumentError, "#{name}: must be a String or a list of Strings, not #{value.class}"
        end

        value.to_a.map { |item| text(item, name) }
      end

      def self.text(value, name)
        unless value.is_a?(String) || value.is_a?(Symbol)
          raise ArgumentError, "#{name}: must hold Strings, not #{value.inspect}"
        end
        raise ArgumentError, "#{name}: must not be empty" if value.empty?

        value.to_s
      end

      def self.key_sources(keys)
        keys = [keys] unless keys.nil? || keys.is_a?(Array)
        (keys || []).map { |k| Keys.verifying_source(k) }
      end
      private_class_method :expectation, :names, :text, :key_sources

      # `at:` a Time or Unix seconds instead of the clock's now
      # (PipelineGuard.clock).
      def verify_many(tokens, at: nil)
        _verify_many(tokens, at)
      end

      # Like verify_many, but raises the first failure (its class, with
      # "item <index>: " before the message).
      def verify_many!(tokens, at: nil)
        results = _verify_many(tokens, at)
        results.each_with_index do |r, i|
          raise r.class, "item #{i}: #{r.message}" if r.is_a?(Exception)
        end
        results
      end
    end

    # GitLab CI job ID-token claims (`id_tokens:` in .gitlab-ci.yml).
    module IdToken
      # `job_info` keys (String or Symbol): issuer, audience (String or
      # Array), issued_at (default: now), ttl_seconds (300), namespace_id,
      # namespace_path, project_id, project_path, user_id, user_login,
      # user_email, user_access_level, user_identities, pipeline_id,
      # pipeline_source, job_id, ref, ref_type ("branch"/"tag"), ref_path,
      # ref_protected, environment ({name:, protected:, action:,
      # deployment_tier:}), runner_id, runner_environment, sha,
      # project_visibility, ci_config_ref_uri, ci_config_sha,
      # secrets_manager_scope, project_group_ids. Unknown keys raise
      # EncodeError.
      def self.claims(job_info = nil, jti: nil, **fields)
        _claims(with_defaults(job_info || fields), jti)
      end

      def self.with_defaults(job_info)
        raise TypeError, "job_info must be a Hash" unless job_info.is_a?(Hash)
        return job_info if job_info.key?(:issued_at) || job_info.key?("issued_at")

        job_info.merge(issued_at: Time.now.to_i)
      end
    end
  end
end
