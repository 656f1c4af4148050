# frozen_string_literal: true

module Mutations
  class GroupSecretsPermissionUpdate < SecretsPermissionMutation
    graphql_name "GroupSecretsPermissionUpdate"

    argument :group_path, ID, required: true, description: "Group to which the permissions are added."
    argument :principal, Types::PrincipalInputType, required: true,
                                                    description: "User/MemberRole/Role that is provided access."
    argument :actions, [Types::ActionEnum], required: true, description: "Actions that can be performed on secrets."
    argument :expired_at, GraphQL::Types::ISO8601Date, required: false,
                                                       description: "Expiration date for Secret Permission (optional)."

    field :secrets_permission, Types::GroupSecretsPermissionType, null: true,
                                                                  description: "Secrets Permission that was created."

    def resolve(group_path:, principal:, actions:, expired_at: nil)
      group = authorized_group!(group_path, :update_secrets_permission)
      update_permission(group, principal:, actions:, expired_at:)
    end
  end
end
