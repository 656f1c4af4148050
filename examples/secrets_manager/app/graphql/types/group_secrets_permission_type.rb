# frozen_string_literal: true

module Types
  class GroupSecretsPermissionType < BaseObject
    graphql_name "GroupSecretsPermission"
    description "Representation of a group secrets permission."
    include SecretsPermissionFields

    field :group, Types::GroupType, null: false, description: "Group the secret permission belong to."

    def group = object.resource
  end
end
