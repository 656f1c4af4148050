# frozen_string_literal: true

module Mutations
  class ProjectSecretUpdate < BaseMutation
    graphql_name "ProjectSecretUpdate"
    CAS_MESSAGE = "This resource was recently modified. Refresh the page and try again " \
                  "to avoid overwriting newer changes."

    argument :project_path, ID, required: true, description: "Project of the secret."
    argument :name, String, required: true, description: "Name of the project secret to update."
    argument :description, String, required: false, description: "New description of the project secret."
    argument :secret, String, required: false, description: "New value of the project secret."
    argument :environment, String, required: false, description: "New environments that can access the secret."
    argument :branch, String, required: false, description: "New branches that can access the secret."
    argument :metadata_cas, Integer, required: false,
                                     description: "This should match the current metadata version of the secret."

    field :project_secret, Types::ProjectSecretType, null: true, description: "Updated project secret."

    def resolve(project_path:, name:, metadata_cas: nil, secret: nil, **changes)
      project = authorized_project!(project_path, :update_project_secrets)
      record = project.secrets.find_by(name:)
      raise PipelineGuard::GraphQL::ResourceNotAvailable, "Project secret does not exist." if record.nil?

      authorize_secret!(:update_secret, record)
      record.with_lock do
        return { project_secret: nil, errors: [CAS_MESSAGE] } if metadata_cas && metadata_cas != record.metadata_version

        record.assign_attributes(changes.compact)
        SecretStore.current.write(record, secret) unless secret.nil?
        record.metadata_version += 1
        return { project_secret: nil, errors: record.errors.full_messages } unless record.save
      end
      SecretStore.current.sync_policies(project)
      { project_secret: record, errors: [] }
    end
  end
end
