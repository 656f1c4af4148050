# frozen_string_literal: true

module Types
  class ActionEnum < GraphQL::Schema::Enum
    graphql_name "SecretsManagementAction"
    value "READ", value: "read", description: "Read secret metadata."
    value "WRITE", value: "write", description: "Create and update secrets."
    value "DELETE", value: "delete", description: "Delete secrets."
  end
end
