# frozen_string_literal: true

module Mutations
  class ProjectSecretsManagerDeprovision < SecretsMutation
    graphql_name "ProjectSecretsManagerDeprovision"

    argument :project_path, ID, required: true, description: "Project of the secrets manager."

    field :project_secrets_manager, Types::ProjectSecretsManagerType, null: true,
                                                                      description: "Project secrets manager."

    def resolve(project_path:)
      owner = authorized_project!(project_path, :admin_project_secrets_manager)
      manager, error = SecretsManagers.initiate_deprovision(owner.secrets_manager, user: current_user, owner:)
      { project_secrets_manager: manager, errors: [error].compact }
    end
  end
end
