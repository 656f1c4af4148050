# frozen_string_literal: true

module PipelineGuard
  module SLSA
    class << self
      # Verifies platform-signed provenance: a DSSE envelope (JSON String or
      # Hash) signed by one of `keys:` (see DSSE.verify), whose statement
      # names the artifact (`artifact:` bytes, a Pathname or an IO, or
      # `artifact_digest: "sha256:<hex>"`), has GitLab's predicate and build
      # type, comes from `source_uri:` (optionally `source_ref:` and
      # `commit:`), and was built by `builder_id:` (one or an Array).
      # Returns the statement Hash; raises VerificationError naming the
      # failed expectation.
      #
      # Sigstore bundles are verified by a Sigstore verifier first; pass it
      # as `sigstore:` (anything answering `verify(bundle_json,
      # artifact_digest:, **sigstore_options)` with a result whose
      # `statement` is the Hash); its Sigstore::VerificationError becomes
      # VerificationError with the :signature expectation.
      def verify_provenance(input, source_uri:, builder_id:, keys: nil, artifact: nil, artifact_digest: nil,
                            sigstore: nil, sigstore_options: {}, **expectations)
        wanted = expected_digest(artifact, artifact_digest)
        statement = authenticated_statement(input, keys, sigstore:, options: sigstore_options,
                                                         digest: -> { wanted || first_digest(artifact) })
        verify_statement(statement, source_uri:, builder_id:, artifact:, artifact_digest: wanted, **expectations)
      end

      # Checks an already authenticated statement (Hash or JSON) against the
      # same expectations as verify_provenance, without any signature.
      def verify_statement(statement, source_uri:, builder_id:, artifact: nil, artifact_digest: nil,
                           source_ref: nil, commit: nil, build_type: GITLAB_BUILD_TYPE,
                           predicate_type: PREDICATE_TYPE)
        statement = parse_statement(statement)
        digests = artifact_digests(statement, artifact, artifact_digest)
        failure = _check(statement, digests, predicate_type.to_s, Array(build_type).map(&:to_s), source_uri.to_s,
                         source_ref&.to_s, commit&.to_s, Array(builder_id).map(&:to_s))
        raise VerificationError.new(failure[1], expectation: failure[0].to_sym) if failure

        statement
      end

      private

      def parse_statement(statement)
        statement.is_a?(String) ? JSON.parse(statement) : statement
      rescue JSON::ParserError => e
        raise VerificationError.new("statement is not JSON: #{e.message}", expectation: :statement)
      end

      # `[alg, hex]` from "alg:hex", or nil for an `artifact:` given.
      def expected_digest(artifact, artifact_digest)
        raise ArgumentError, "give artifact: or artifact_digest:, not both" if artifact && artifact_digest
        raise ArgumentError, "artifact: or artifact_digest: is required" unless artifact || artifact_digest
        return if artifact

        parse_digest(artifact_digest)
      end

      def parse_digest(text)
        alg, hex = text.to_s.split(":", 2)
        unless DIGEST_ALGORITHMS.include?(alg) && hex&.match?(/\A\h+\z/)
          raise ArgumentError, "artifact_digest must be \"<sha256|sha384|sha512>:<hex>\""
        end

        [alg, hex.downcase]
      end

      # The artifact's digests in every algorithm the subjects use.
      def artifact_digests(statement, artifact, artifact_digest)
        return [artifact_digest] if artifact_digest.is_a?(Array)
        return [parse_digest(artifact_digest)] if artifact_digest

        raise ArgumentError, "artifact: or artifact_digest: is required" if artifact.nil?

        algorithms = subject_algorithms(statement)
        return [] if algorithms.empty?

        computed = case artifact
                   when String then digest_bytes(artifact, algorithms:)
                   else digest(artifact, algorithms:)
                   end
        computed.to_a
      end

      # `["sha256", hex]` of an `artifact:` (bytes, Pathname or IO; an IO
      # is rewound for the subject check).
      def first_digest(artifact)
        computed = if artifact.is_a?(String)
                     digest_bytes(artifact, algorithms: %w[sha256])
                   else
                     digest(artifact, algorithms: %w[sha256])
                   end
        artifact.rewind if artifact.respond_to?(:rewind)
        computed.first
      end

      def subject_algorithms(statement)
        subjects = statement.is_a?(Hash) ? statement["subject"] : nil
        return [] unless subjects.is_a?(Array)

        subjects.flat_map { |s| s.is_a?(Hash) && s["digest"].is_a?(Hash) ? s["digest"].keys : [] }
                .uniq & DIGEST_ALGORITHMS
      end

      def authenticated_statement(input, keys, sigstore:, options:, digest:)
        input = parse_input(input)
        if input["mediaType"].to_s.start_with?("application/vnd.dev.sigstore.bundle")
          return sigstore_statement(input, sigstore, options, digest.call)
        end
        raise ArgumentError, "keys: (the platform's public keys) is required" if keys.nil?

        payload = DSSE.verify(input, keys:, payload_type: DSSE::IN_TOTO_PAYLOAD_TYPE)
        JSON.parse(payload)
      rescue DSSE::VerificationError => e
        raise VerificationError.new(e.message, expectation: :signature)
      rescue JSON::ParserError => e
        raise VerificationError.new("payload is not JSON: #{e.message}", expectation: :statement)
      end

      def parse_input(input)
        input = JSON.parse(input) if input.is_a?(String)
        return input if input.is_a?(Hash)

        raise VerificationError.new("expected a DSSE envelope or Sigstore bundle", expectation: :signature)
      rescue JSON::ParserError => e
        raise VerificationError.new("envelope is not JSON: #{e.message}", expectation: :signature)
      end

      def sigstore_statement(bundle, sigstore, options, wanted)
        unless sigstore
          raise VerificationError.new("a Sigstore bundle needs a Sigstore verifier (sigstore:)",
                                      expectation: :signature)
        end
        begin
          result = sigstore.verify(JSON.generate(bundle), artifact_digest: wanted.join(":"), **options)
        rescue Sigstore::VerificationError => e
          raise VerificationError.new(e.message, expectation: :signature)
        end
        statement = result.statement
        return statement if statement.is_a?(Hash)

        raise VerificationError.new("the Sigstore bundle carries no in-toto statement", expectation: :statement)
      end
    end
  end
end
