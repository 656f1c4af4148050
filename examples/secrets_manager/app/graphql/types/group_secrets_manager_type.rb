# frozen_string_literal: true

module Types
  class GroupSecretsManagerType < BaseObject
    graphql_name "GroupSecretsManager"
    description "Representation of a group secrets manager."
    pipeline_guard_authorize :read_secrets_manager, subject: ->(manager, _ctx) { manager.group }

    field :group, Types::GroupType, null: false, description: "Group the secrets manager belongs to."
    field :status, Types::GroupSecretsManagerStatusEnum, null: true, description: "Status of the group secrets manager."
    field :read_only, Boolean, null: false,
                               description: "Whether the instance is in strict read-only mode (Geo secondary or " \
                                            "maintenance mode). No secrets or permissions can be created, " \
                                            "updated, or deleted while it is true."

    # This app has no read-only (Geo secondary or maintenance) mode.
    def read_only = false
  end
end
