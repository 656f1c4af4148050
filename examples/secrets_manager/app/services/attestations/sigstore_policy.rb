# frozen_string_literal: true

module Attestations
  # What a Sigstore bundle uploaded for a project must prove: it verifies
  # against the configured trusted root (SIGSTORE_TRUSTED_ROOT, a
  # trusted_root.json path; the public-good root when unset), its
  # certificate was issued for this project's CI configuration (identity
  # "<instance URL>/<project path>//<config path>@<ref>", as GitLab's
  # keyless signing writes it) by the expected OIDC issuer
  # (SIGSTORE_OIDC_ISSUER, default the instance URL).
  module SigstorePolicy
    class << self
      attr_writer :trusted_root, :issuer, :instance_url

      def verifier
        @verifier ||= PipelineGuard::Sigstore::Verifier.new(trusted_root:)
      end

      def trusted_root
        @trusted_root ||= begin
          path = ENV.fetch("SIGSTORE_TRUSTED_ROOT", nil)
          if path.nil? || path.empty?
            PipelineGuard::Sigstore::TrustedRoot.production
          else
            PipelineGuard::Sigstore::TrustedRoot.from_json(File.read(path))
          end
        end
      end

      def issuer = @issuer ||= ENV.fetch("SIGSTORE_OIDC_ISSUER", IdTokens::ISSUER)
      def instance_url = @instance_url || IdTokens::ISSUER

      # Anchored: this project's pipelines only, not a project whose path
      # merely starts with this one's.
      def identity_regex(project) = "\\A#{Regexp.escape("#{instance_url}/#{project.full_path}")}//"

      # Verifies `bundle` (JSON text) for `digest` (hex SHA-256); returns the
      # PipelineGuard::Sigstore::Result or raises its VerificationError.
      def verify(bundle, project, digest)
        verifier.verify(bundle, artifact_digest: "sha256:#{digest}", identity_regex: identity_regex(project), issuer:)
      end

      # For specs: forget the configured root and verifier.
      def reset!
        @verifier = @trusted_root = @issuer = @instance_url = nil
      end

      def configure(trusted_root:, issuer:, instance_url:)
        reset!
        @trusted_root = trusted_root
        @issuer = issuer
        @instance_url = instance_url
      end
    end
  end
end
