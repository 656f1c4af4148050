# frozen_string_literal: true

module Types
  class ProjectSecretsManagerType < BaseObject
    graphql_name "ProjectSecretsManager"
    description "Representation of a project secrets manager."
    pipeline_guard_authorize :read_project_secrets_manager_status, subject: ->(manager, _ctx) { manager.project }

    field :project, Types::ProjectType, null: false, description: "Project the secrets manager belong to."
    field :status, Types::ProjectSecretsManagerStatusEnum, null: true,
                                                           description: "Status of the project secrets manager."
    field :read_only, Boolean, null: false,
                               description: "Whether the instance is in strict read-only mode (Geo secondary or " \
                                            "maintenance mode). No secrets or permissions can be created, " \
                                            "updated, or deleted while it is true."

    # This app has no read-only (Geo secondary or maintenance) mode.
    def read_only = false
  end
end
