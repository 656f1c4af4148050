# frozen_string_literal: true

module Mutations
  class ProjectSecretsManagerInitialize < SecretsMutation
    graphql_name "ProjectSecretsManagerInitialize"

    argument :project_path, ID, required: true, description: "Project of the secrets manager."

    field :project_secrets_manager, Types::ProjectSecretsManagerType, null: true,
                                                                      description: "Project secrets manager."

    def resolve(project_path:)
      owner = authorized_project!(project_path, :admin_project_secrets_manager)
      raise_if_namespace_inactive!(owner)
      manager, error = SecretsManagers.initialize_for(owner, user: current_user)
      { project_secrets_manager: manager, errors: [error].compact }
    end
  end
end
