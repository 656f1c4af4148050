# frozen_string_literal: true

module Types
  class QueryType < BaseObject
    graphql_name "Query"

    project_subject = ->(_obj, args, _ctx) { Project.find_by(full_path: args[:project_path]) || args[:project_path] }

    # Secrets manager: lifecycle, project and group secrets, rotation, health
    # (GitLab 19.4's fields; see docs/secrets_manager.md).
    group_subject = ->(_obj, args, _ctx) { Group.find_by(full_path: args[:group_path]) || args[:group_path] }
    authorize = PipelineGuard::GraphQL::Authorize

    field :project_secrets_manager, Types::ProjectSecretsManagerType,
          null: true, description: "Find a project secrets manager.",
          resolver: Resolvers::ProjectSecretsManagerResolver do
      extension authorize, ability: :read_project_secrets_manager_status, subject: project_subject
    end
    field :project_secrets, Types::ProjectSecretType.connection_type, null: true, max_page_size: 100,
                                                                      description: "List project secrets.",
                                                                      resolver: Resolvers::ProjectSecretsResolver do
      extension authorize, ability: :read_project_secrets, subject: project_subject, each: :read_secret
    end
    field :project_secrets_count, Integer, null: true, description: "Total number of secrets in a project.",
                                           resolver: Resolvers::ProjectSecretsCountResolver do
      extension authorize, ability: :read_project_secrets, subject: project_subject
    end
    field :project_secrets_needing_rotation, Types::ProjectSecretType.connection_type,
          null: true, max_page_size: 100, description: "List project secrets that need to be rotated.",
          resolver: Resolvers::ProjectSecretsNeedingRotationResolver do
      extension authorize, ability: :read_project_secrets, subject: project_subject, each: :read_secret
    end
    field :project_secret, Types::ProjectSecretType, null: true, description: "View a specific project secret.",
                                                     resolver: Resolvers::ProjectSecretResolver do
      extension authorize, ability: :read_project_secrets, subject: project_subject
    end
    field :group_secrets_manager, Types::GroupSecretsManagerType, null: true,
                                                                  description: "Find a group secrets manager.",
                                                                  resolver: Resolvers::GroupSecretsManagerResolver do
      extension authorize, ability: :read_secrets_manager, subject: group_subject
    end
    field :group_secrets, Types::GroupSecretType.connection_type, null: true, max_page_size: 500,
                                                                  description: "List group secrets.",
                                                                  resolver: Resolvers::GroupSecretsResolver do
      extension authorize, ability: :read_secret, subject: group_subject, each: :read_secret
    end
    field :group_secrets_needing_rotation, Types::GroupSecretType.connection_type,
          null: true, max_page_size: 100, description: "List group secrets that need to be rotated.",
          resolver: Resolvers::GroupSecretsNeedingRotationResolver do
      extension authorize, ability: :read_secret, subject: group_subject, each: :read_secret
    end
    field :group_secret, Types::GroupSecretType, null: true, description: "View a specific group secret.",
                                                 resolver: Resolvers::GroupSecretResolver do
      extension authorize, ability: :read_secret, subject: group_subject
    end
    field :group_secrets_count, Integer, null: true, description: "Total number of secrets in a group.",
                                         resolver: Resolvers::GroupSecretsCountResolver do
      extension authorize, ability: :read_secret, subject: group_subject
    end
    field :openbao_health, Boolean, null: false, description: "Check if OpenBao instance is healthy and reachable.",
                                    resolver: Resolvers::OpenbaoHealthResolver
    field :project, Types::ProjectType, null: true, description: "Find a project.", resolver: Resolvers::ProjectResolver
    # End of the secrets manager fields.

    # Secrets permissions (GitLab 19.4): Maintainers and Owners list them.
    field :project_secrets_permissions, Types::ProjectSecretsPermissionType.connection_type,
          null: true, description: "List project secrets permissions.",
          resolver: Resolvers::ProjectSecretsPermissionsResolver do
      extension PipelineGuard::GraphQL::Authorize, ability: :read_project_secrets_manager, subject: project_subject
    end
    field :group_secrets_permissions, Types::GroupSecretsPermissionType.connection_type,
          null: true, description: "List group secrets permissions.",
          resolver: Resolvers::GroupSecretsPermissionsResolver do
      extension PipelineGuard::GraphQL::Authorize,
                ability: :read_secrets_permission,
                subject: ->(_obj, args, _ctx) { Group.find_by(full_path: args[:group_path]) || args[:group_path] }
    end
    # End of the secrets permissions fields.

    # Attestations of a project's artifacts, each verified again when listed.
    field :project_attestations, Types::SupplyChainAttestationType.connection_type,
          null: true, max_page_size: 100, description: "List a project's attestations.",
          resolver: Resolvers::ProjectAttestationsResolver
    # End of the attestations fields.
  end
end
