# frozen_string_literal: true

module Types
  class GroupSecretsManagerStatusEnum < GraphQL::Schema::Enum
    graphql_name "GroupSecretsManagerStatus"
    description "Values for the group secrets manager status"

    value "PROVISIONING", "Secrets manager is being provisioned.", value: "provisioning"
    value "ACTIVE", "Secrets manager has been provisioned and enabled.", value: "active"
    value "DEPROVISIONING", "Secrets manager is being deprovisioned.", value: "deprovisioning"
  end
end
