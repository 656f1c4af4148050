# frozen_string_literal: true

module Types
  class SecretStatusEnum < GraphQL::Schema::Enum
    graphql_name "SecretStatus"
    description "Status of secret"

    S = SecretRecord::STATUSES
    value "COMPLETED", "Secret is complete.", value: S[:completed]
    value "CREATE_STALE", "Secret creation appears stale (started long ago or missing completion timestamp).",
          value: S[:create_stale]
    value "UPDATE_STALE", "Secret update appears stale (started long ago or missing completion timestamp).",
          value: S[:update_stale]
    value "CREATE_IN_PROGRESS", "Secret creation is in progress.", value: S[:create_in_progress]
    value "UPDATE_IN_PROGRESS", "Secret update is in progress.", value: S[:update_in_progress]
  end
end
