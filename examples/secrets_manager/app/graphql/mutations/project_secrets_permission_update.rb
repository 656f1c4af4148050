# frozen_string_literal: true

module Mutations
  class ProjectSecretsPermissionUpdate < SecretsPermissionMutation
    graphql_name "ProjectSecretsPermissionUpdate"

    argument :project_path, ID, required: true, description: "Project to which the permissions are added."
    argument :principal, Types::PrincipalInputType, required: true,
                                                    description: "User/MemberRole/Role that is provided access."
    argument :actions, [Types::ActionEnum], required: true, description: "Actions that can be performed on secrets."
    argument :expired_at, GraphQL::Types::ISO8601Date, required: false,
                                                       description: "Expiration date for Secret Permission (optional)."

    field :secrets_permission, Types::ProjectSecretsPermissionType, null: true,
                                                                    description: "Secrets Permission that was created."

    def resolve(project_path:, principal:, actions:, expired_at: nil)
      project = authorized_project!(project_path, :admin_project_secrets_manager)
      update_permission(project, principal:, actions:, expired_at:)
    end
  end
end
