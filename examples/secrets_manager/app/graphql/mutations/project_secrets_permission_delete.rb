# frozen_string_literal: true

module Mutations
  class ProjectSecretsPermissionDelete < BaseMutation
    graphql_name "ProjectSecretsPermissionDelete"

    argument :project_path, ID, required: true, description: "Project of the permission."
    argument :principal, Types::PrincipalInputType, required: true, description: "Whose permission to delete."

    field :secrets_permission, Types::ProjectSecretsPermissionType, null: true, description: "Deleted permission."

    def resolve(project_path:, principal:)
      project = authorized_project!(project_path, :delete_secrets_permission)
      record = project.secrets_permissions.find_by(principal_type: principal[:type], principal_id: principal[:id])
      raise PipelineGuard::GraphQL::ResourceNotAvailable if record.nil?

      record.destroy!
      SecretStore.current.sync_policies(project)
      { secrets_permission: record, errors: [] }
    end
  end
end
