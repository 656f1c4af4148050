# frozen_string_literal: true

module Mutations
  class ProjectSecretDelete < SecretsMutation
    graphql_name "ProjectSecretDelete"

    argument :project_path, ID, required: true, description: "Project of the secret."
    argument :name, String, required: true, description: "Name of the project secret."

    field :project_secret, Types::ProjectSecretType, null: true, description: "Deleted project secret."

    def resolve(project_path:, name:)
      project = authorized_project!(project_path, :delete_project_secrets)
      raise_if_namespace_inactive!(project)
      authorize = lambda do |s|
        authorize_secret!(:delete_secret, s)
        authorize_secret!(:read_secret, s) # answered now, so the payload can show the deleted secret
      end
      payload(:project_secret, Secrets::DeleteService.new(project, current_user, authorize:).execute(name))
    end
  end
end
