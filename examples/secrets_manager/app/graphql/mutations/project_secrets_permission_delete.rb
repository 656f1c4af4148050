# frozen_string_literal: true

module Mutations
  class ProjectSecretsPermissionDelete < SecretsPermissionMutation
    graphql_name "ProjectSecretsPermissionDelete"

    argument :project_path, ID, required: true, description: "Project from which the permissions are removed."
    argument :principal, Types::PrincipalInputType,
             required: true, description: "User/MemberRole/Role/Group whose access is being removed."

    field :secrets_permission, Types::ProjectSecretsPermissionType, null: true,
                                                                    description: "Secrets Permission that was deleted."

    def resolve(project_path:, principal:)
      project = authorized_project!(project_path, :admin_project_secrets_manager)
      delete_permission(project, principal:)
    end
  end
end
