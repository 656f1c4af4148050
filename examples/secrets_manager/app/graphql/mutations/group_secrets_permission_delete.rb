# frozen_string_literal: true

module Mutations
  class GroupSecretsPermissionDelete < SecretsPermissionMutation
    graphql_name "GroupSecretsPermissionDelete"

    argument :group_path, ID, required: true, description: "Group permissions for the secret."
    argument :principal, Types::PrincipalInputType, required: true, description: "Whose permission to be deleted."

    field :secrets_permission, Types::GroupSecretsPermissionType, null: true,
                                                                  description: "Deleted Secrets Permission."

    def resolve(group_path:, principal:)
      group = authorized_group!(group_path, :delete_secrets_permission)
      delete_permission(group, principal:)
    end
  end
end
