# frozen_string_literal: true

module Attestations
  # A Sigstore bundle uploaded for one of the project's artifacts (as
  # `glab` or a container-signing job sends them) is verified before it is
  # stored: the signature chain, log proofs and timestamps against the
  # trusted root, the certificate identity (this project's pipelines) and
  # issuer, and an in-toto statement naming `subject_digest`. A bundle that
  # fails is refused with the verifier's reason and nothing is stored.
  class BundleUpload
    MAX_BYTES = 1024 * 1024
    Result = Struct.new(:attestation, :status, :message, keyword_init: true)

    def initialize(project)
      @project = project
    end

    def execute(bundle, subject_digest)
      digest = subject_digest.to_s
      return refuse(400, "subject_digest must be the artifact's SHA-256 (64 hex digits)") unless
        DIGEST_FORMAT.match?(digest)
      return refuse(413, "bundle is larger than #{MAX_BYTES} bytes") if bundle.to_s.bytesize > MAX_BYTES

      digest = digest.downcase
      result = SigstorePolicy.verify(bundle.to_s, @project, digest)
      store(bundle.to_s, digest, result.statement)
    rescue PipelineGuard::Sigstore::VerificationError => e
      refuse(400, "Sigstore bundle verification failed: #{e.message}")
    end

    private

    def store(bundle, digest, statement)
      return refuse(400, "the bundle carries no in-toto statement") unless statement.is_a?(Hash)

      kind = predicate_kind(statement["predicateType"].to_s)
      return refuse(400, "unsupported predicate type") unless kind
      if SupplyChain::Attestation.exists?(project_id: @project.id, predicate_kind: kind, subject_digest: digest)
        return refuse(409, "an attestation of this kind already exists for this digest")
      end

      Result.new(status: 201, attestation: SupplyChain::Attestation.create!(
        project: @project, predicate_kind: kind, predicate_type: statement["predicateType"], subject_digest: digest,
        signed_by: "sigstore", file: bundle, status: :success
      ))
    end

    def predicate_kind(type)
      return :provenance if type.start_with?("https://slsa.dev/provenance/")
      return :sbom if type.start_with?("https://spdx.dev/Document", "https://cyclonedx.org/bom")

      nil
    end

    def refuse(status, message) = Result.new(status:, message:)
  end
end
