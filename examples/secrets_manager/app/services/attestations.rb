# frozen_string_literal: true

# Build provenance as GitLab's SLSA attestations: statements the platform
# builds from its own job records and signs (Attestations::BuildProvenance),
# Sigstore bundles verified on arrival (Attestations::BundleUpload), and who
# may read them (GitLab's read_attestations: any member of the project).
module Attestations
  GUEST = 10
  DIGEST_FORMAT = /\A[A-Fa-f0-9]{64}\z/

  class << self
    def readable?(user, project)
      return false if user.nil? || user.blocked || project.nil?

      Authz.rbac.max_access_level(user.id, project.full_path).to_i >= GUEST
    end

    # The project's web URL: the provenance `source` and the prefix of the
    # CI config identity its keyless certificates carry.
    def project_url(project) = "#{IdTokens::ISSUER}/#{project.full_path}"

    # The runner that ran a job, as the provenance's `builder.id`.
    def builder_id(build) = "#{project_url(build.project)}/-/runners/#{build.runner_id}"

    def download_url(attestation)
      "#{IdTokens::ISSUER}/api/v4/projects/#{attestation.project_id}/attestations/#{attestation.iid}/download"
    end
  end
end
