# frozen_string_literal: true

module Types
  # GitLab 19.4's SecretsManagementAction.
  class ActionEnum < GraphQL::Schema::Enum
    graphql_name "SecretsManagementAction"
    description "Actions that can be performed on secrets"
    value "READ", value: "read", description: "Read secrets."
    value "READ_VALUE", value: "read_value", description: "Read secret values."
    value "WRITE", value: "write", description: "Create and update secrets."
    value "DELETE", value: "delete", description: "Delete secrets."
  end
end
