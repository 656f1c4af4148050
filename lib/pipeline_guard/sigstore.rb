# frozen_string_literal: true

require "json"

module PipelineGuard
  # Offline verification of Sigstore bundles (keyless Fulcio certificates or
  # managed keys) against a trusted root. See docs/sigstore.md.
  module Sigstore
    # A parsed trusted_root.json. `from_json` raises PipelineGuard::InvalidInput
    # when it does not parse or holds unusable keys or certificates.
    class TrustedRoot
      include NoCopy

      class << self
        def from_json(text)
          _from_json(String(text))
        end

        # The public-good Sigstore trusted root embedded in the gem (source
        # and date in docs/sigstore.md), parsed once per process.
        def production
          @production ||= _production
        end
      end
    end

    # What a verified bundle says. `statement` is the in-toto statement
    # Hash of a DSSE bundle (else nil); `certificate_extensions` holds
    # Fulcio's extensions by name ("issuer", "build_config_uri", ...);
    # `key_id` the hex SHA-256 of a managed key's SubjectPublicKeyInfo.
    class Result
      attr_reader :payload_type, :certificate_identity, :certificate_issuer,
                  :certificate_extensions, :log_index, :key_id

      def initialize(facts)
        @statement_json = facts["statement"]
        @payload_type = facts["payload_type"]
        @certificate_identity = facts["certificate_identity"]
        @certificate_issuer = facts["certificate_issuer"]
        @certificate_extensions = facts["certificate_extensions"].freeze
        @integrated_time = facts["integrated_time"]
        @log_index = facts["log_index"]
        @key_id = facts["key_id"]
        freeze
      end

      def statement
        @statement_json && JSON.parse(@statement_json)
      end

      # The transparency log's signed integration time, as a UTC Time.
      def integrated_time
        @integrated_time && Time.at(@integrated_time).utc
      end

      def inspect
        "#<#{self.class} identity=#{certificate_identity.inspect} issuer=#{certificate_issuer.inspect} " \
          "log_index=#{log_index} key_id=#{key_id.inspect}>"
      end
    end

    # Verifies bundles against one trusted root.
    #
    #   v = Verifier.new(trusted_root: TrustedRoot.production)
    #   v.verify(bundle_json, artifact: bytes, identity: "https://...", issuer: "https://...")
    #   v.verify(bundle_json, artifact_digest: "sha256:<hex>", key: pem)
    #
    # Returns a Result or raises VerificationError (also for bundles that do
    # not parse). Contradictory options raise ArgumentError; an unusable
    # `key:` raises PipelineGuard::InvalidKeyError.
    class Verifier
      include NoCopy

      class << self
        def new(trusted_root:)
          unless trusted_root.is_a?(TrustedRoot)
            raise TypeError, "trusted_root: must be a PipelineGuard::Sigstore::TrustedRoot"
          end

          _build(trusted_root)
        end
      end

      # `identity_regex:` is an unanchored pattern in Rust regex syntax (a
      # Regexp's source is used; flags must be inline, e.g. "(?i)").
      def verify(bundle_json, artifact: nil, artifact_digest: nil, identity: nil, identity_regex: nil,
                 issuer: nil, key: nil)
        check_artifact!(artifact, artifact_digest)
        facts = _verify(Sigstore.bundle_text(bundle_json), Sigstore.bytes(artifact), artifact_digest,
                        identity, Sigstore.pattern(identity_regex), issuer, Sigstore.key_pem(key))
        Result.new(facts)
      end

      # One call for many bundles, off the GVL and in parallel: `artifacts:`
      # (bytes) or `artifact_digests:` ("<alg>:<hex>") as many as bundles,
      # one policy for all. Returns, in order, a Result or the
      # VerificationError instance (not raised) per bundle.
      def verify_many(bundles, artifacts: nil, artifact_digests: nil, identity: nil, identity_regex: nil,
                      issuer: nil, key: nil)
        check_artifact!(artifacts, artifact_digests)
        texts = bundles.map { |b| Sigstore.bundle_text(b) }
        _verify_many(texts, artifacts&.map { |a| Sigstore.bytes(a) }, artifact_digests, identity,
                     Sigstore.pattern(identity_regex), issuer, Sigstore.key_pem(key)).map do |r|
          r.is_a?(Exception) ? r : Result.new(r)
        end
      end

      private

      def check_artifact!(artifact, digest)
        return if artifact.nil? ^ digest.nil?

        raise ArgumentError, "pass exactly one of artifact: and artifact_digest:"
      end
    end

    class << self
      # @api private
      def bundle_text(bundle)
        case bundle
        when String then bundle
        when Hash then JSON.generate(bundle)
        else raise TypeError, "bundle must be a JSON String or a Hash, not #{bundle.class}"
        end
      end

      # @api private
      def bytes(artifact)
        return nil if artifact.nil?
        return artifact if artifact.is_a?(String)
        return artifact.read.to_s if artifact.respond_to?(:read)

        raise TypeError, "artifact: must be a String of bytes or an IO, not #{artifact.class}"
      end

      # @api private
      def pattern(regex)
        case regex
        when nil then nil
        when Regexp then regex.source
        else String(regex)
        end
      end

      # @api private
      def key_pem(key)
        return nil if key.nil?
        return key.public_to_pem if key.respond_to?(:public_to_pem)

        String(key)
      end
    end
  end
end
