# frozen_string_literal: true

module Resolvers
  class GroupSecretsPermissionsResolver < SecretsPermissionsResolver
    type Types::GroupSecretsPermissionType.connection_type, null: true
    argument :group_path, ID, required: true, description: "Group the secrets permission belong to."

    def resolve(group_path:) = list(Group.find_by!(full_path: group_path))
  end
end
