# frozen_string_literal: true

module Types
  class ProjectSecretsManagerStatusEnum < GraphQL::Schema::Enum
    graphql_name "ProjectSecretsManagerStatus"
    description "Values for the project secrets manager status"

    value "PROVISIONING", "Secrets manager is being provisioned.", value: "provisioning"
    value "ACTIVE", "Secrets manager has been provisioned and enabled.", value: "active"
    value "DEPROVISIONING", "Secrets manager is being deprovisioned.", value: "deprovisioning"
  end
end
