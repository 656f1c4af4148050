# frozen_string_literal: true

module Mutations
  class ProjectSecretDelete < BaseMutation
    graphql_name "ProjectSecretDelete"

    argument :project_path, ID, required: true, description: "Project of the secret."
    argument :name, String, required: true, description: "Name of the project secret."

    field :project_secret, Types::ProjectSecretType, null: true, description: "Deleted project secret."

    def resolve(project_path:, name:)
      project = authorized_project!(project_path, :delete_project_secrets)
      record = project.secrets.find_by(name:)
      raise PipelineGuard::GraphQL::ResourceNotAvailable, "Project secret does not exist." if record.nil?

      authorize_secret!(:delete_secret, record)
      authorize_secret!(:read_secret, record) # answered now, so the payload can show the deleted secret
      SecretStore.current.delete(record)
      record.destroy!
      SecretStore.current.sync_policies(project)
      { project_secret: record, errors: [] }
    end
  end
end
