# frozen_string_literal: true

module Attestations
  # Checks a stored attestation again when it is listed: a platform
  # envelope against the platform key and the job record (artifact digest,
  # project source, runner); a Sigstore bundle against the trusted root and
  # the project's identity. A stored file changed behind the app's back
  # shows as FAILED with the reason.
  module Verification
    Status = Struct.new(:status, :message)

    class << self
      def check(attestation)
        return Status.new("UNVERIFIED", "the attestation failed to be created") if attestation.error?

        attestation.signed_by == "sigstore" ? sigstore(attestation) : platform(attestation)
      rescue PipelineGuard::SLSA::VerificationError, PipelineGuard::Sigstore::VerificationError => e
        Status.new("FAILED", e.message)
      end

      private

      def platform(attestation)
        build = attestation.build
        return Status.new("FAILED", "the attested job no longer exists") if build.nil?

        PipelineGuard::SLSA.verify_provenance(
          attestation.file, keys: [PlatformKey.public_key_pem], artifact_digest: "sha256:#{attestation.subject_digest}",
                            source_uri: Attestations.project_url(attestation.project), commit: build.sha,
                            builder_id: Attestations.builder_id(build)
        )
        Status.new("VERIFIED", nil)
      end

      def sigstore(attestation)
        SigstorePolicy.verify(attestation.file, attestation.project, attestation.subject_digest)
        Status.new("VERIFIED", nil)
      end
    end
  end
end
