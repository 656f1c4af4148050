# frozen_string_literal: true

module PipelineGuard
  # DSSE (Dead Simple Signing Envelope) signing and verification, as used
  # by in-toto attestations and Sigstore bundles. See docs/slsa.md.
  #
  # Keys: anything PipelineGuard::JWT takes (OpenSSL::PKey, PEM String, JWK
  # Hash, JWT::SigningKey / JWT::VerifyingKey), or a Hash
  # `{ key:, algorithm:, keyid: }` to set the scheme or keyid. ECDSA
  # signatures are ASN.1 DER (as cosign and in-toto); RSA defaults to
  # PKCS#1 v1.5 with SHA-256 ("RS256"; "PS256".."PS512" for PSS); HMAC
  # secrets are refused.
  module DSSE
    IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"

    # A private key parsed once, with its scheme and the keyid written next
    # to its signatures.
    class Signer
      include NoCopy

      # `key`: a private key as above. `algorithm` defaults to the key's
      # own (RS256, ES256/ES384/ES512 by curve, EdDSA).
      def self.new(key, algorithm: nil, keyid: nil)
        return key if key.is_a?(Signer) && algorithm.nil? && keyid.nil?

        _new(DSSE.signing_key(key), algorithm&.to_s, keyid&.to_s)
      end
    end

    # Trusted public keys, a threshold and the accepted payload types,
    # parsed once for many envelopes.
    class Verifier
      include NoCopy

      # `threshold`: how many distinct trusted keys must each verify a
      # signature. `payload_type`: a String, an Array of them, or :any.
      def self.new(keys:, threshold: 1, payload_type: IN_TOTO_PAYLOAD_TYPE)
        entries = DSSE.trusted_entries(keys)
        raise ArgumentError, "threshold must be an Integer" unless threshold.is_a?(Integer) && threshold.positive?

        types = payload_type == :any ? nil : Array(payload_type).map(&:to_s)
        _new(entries, threshold, types)
      end

      # The authenticated payload (binary String); raises VerificationError.
      def verify(envelope) = verify_detailed(envelope)["payload"]

      # `{"payload_type", "payload", "keyids"}`, keyids of the keys that
      # verified (nil for keys without one).
      def verify_detailed(envelope)
        envelope = envelope.to_h if envelope.respond_to?(:to_h) && !envelope.is_a?(String)
        _verify(envelope)
      end
    end

    class << self
      # Signs `payload` (a String, bytes; a Hash is sent as its JSON) as
      # `payload_type` with `signer:` or several `signers:`; returns the
      # envelope as a Hash (`"payloadType"`, `"payload"` base64,
      # `"signatures"`), ready for
      # `to_json`.
      def sign(payload, payload_type:, signer: nil, signers: nil)
        payload = JSON.generate(payload) if payload.is_a?(Hash)
        _sign(String(payload), payload_type.to_s, signer_list(signer, signers).map { |s| signer_for(s) })
      end

      # Verifies an envelope (JSON String or Hash) and returns its payload.
      # `keys:` one key or an Array (see the module comment); at least
      # `threshold` of them must verify; `payload_type:` the accepted
      # type(s), or :any.
      def verify(envelope, keys:, threshold: 1, payload_type: IN_TOTO_PAYLOAD_TYPE)
        Verifier.new(keys:, threshold:, payload_type:).verify(envelope)
      end

      # :nodoc: a JWT::SigningKey for anything JWT takes as a private key.
      def signing_key(key)
        JWT::Keys.signing(key)
      rescue JWT::EncodeError, JWT::DecodeError => e
        raise InvalidKeyError, e.message
      end

      # :nodoc: `[[VerifyingKey, algorithm, keyid], ...]` for Verifier._new.
      def trusted_entries(keys)
        list = keys.is_a?(Array) ? keys : [keys]
        raise ArgumentError, "no trusted keys given" if list.empty?

        list.flat_map { |k| trusted_entry(k) }
      end

      private

      def signer_list(signer, signers)
        raise ArgumentError, "give signer: or signers:, not both" if signer && signers

        list = signers ? Array(signers) : [signer]
        raise ArgumentError, "no signer given" if list.empty? || list.any?(&:nil?)

        list
      end

      def signer_for(spec)
        return spec if spec.is_a?(Signer)

        opts = key_options(spec)
        opts ? Signer.new(opts[:key], algorithm: opts[:algorithm], keyid: opts[:keyid]) : Signer.new(spec)
      end

      def trusted_entry(spec)
        opts = key_options(spec)
        return verifying_keys(spec).map { |k| [k, nil, nil] } unless opts

        verifying_keys(opts[:key]).map { |k| [k, opts[:algorithm]&.to_s, opts[:keyid]&.to_s] }
      end

      # `{ key:, algorithm:, keyid: }` (symbol or string keys), else nil
      # (a JWK Hash is a key, not options).
      def key_options(spec)
        return unless spec.is_a?(Hash) && (spec.key?(:key) || spec.key?("key"))

        spec.transform_keys(&:to_sym)
      end

      def verifying_keys(key)
        Array(JWT::Keys.verifying(key))
      rescue JWT::DecodeError, JWT::EncodeError => e
        raise InvalidKeyError, e.message
      end
    end
  end
end
