# frozen_string_literal: true

module Mutations
  class ProjectSecretsPermissionUpdate < BaseMutation
    graphql_name "ProjectSecretsPermissionUpdate"

    argument :project_path, ID, required: true, description: "Project to which the permissions are added."
    argument :principal, Types::PrincipalInputType, required: true,
                                                    description: "User/MemberRole/Role/Group that is provided access."
    argument :actions, [Types::ActionEnum], required: true, description: "Actions that can be performed on secrets."
    argument :expired_at, GraphQL::Types::ISO8601Date, required: false,
                                                       description: "Expiration date for Secret Permission (optional)."

    field :secrets_permission, Types::ProjectSecretsPermissionType, null: true, description: "Secrets Permission."

    def resolve(project_path:, principal:, actions:, expired_at: nil)
      project = authorized_project!(project_path, :update_secrets_permission)
      expires = expired_at&.to_time(:utc)
      # Validated by the native model (principal, actions, expiry) first.
      ProjectAccess.permission(SecretsPermission.new(principal_type: principal[:type], principal_id: principal[:id],
                                                     actions:, expired_at: expires))
      record = project.secrets_permissions.find_or_initialize_by(principal_type: principal[:type],
                                                                 principal_id: principal[:id])
      record.update!(actions:, expired_at: expires, granted_by: current_user)
      SecretStore.current.sync_policies(project)
      { secrets_permission: record, errors: [] }
    rescue PipelineGuard::SecretsManager::InvalidRecord => e
      { secrets_permission: nil, errors: [e.message] }
    end
  end
end
