# frozen_string_literal: true

module Resolvers
  # A project's attestations, newest first, optionally of one artifact;
  # readable by any member (GitLab's read_attestations).
  class ProjectAttestationsResolver < GraphQL::Schema::Resolver
    type [Types::SupplyChainAttestationType], null: true
    argument :project_path, ID, required: true, description: "Full path of the project."
    argument :subject_digest, String, required: false, description: "SHA-256 of the artifact (hex)."

    def resolve(project_path:, subject_digest: nil)
      project = Project.find_by(full_path: project_path)
      unless Attestations.readable?(context[:current_user], project)
        raise PipelineGuard::GraphQL::ResourceNotAvailable, PipelineGuard::GraphQL::ResourceNotAvailable::MESSAGE
      end

      scope = SupplyChain::Attestation.for_project(project.id).includes(:project, :build).order(id: :desc)
      subject_digest ? scope.with_digest(subject_digest) : scope
    end
  end
end
