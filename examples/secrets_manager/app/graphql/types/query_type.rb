# frozen_string_literal: true

module Types
  class QueryType < BaseObject
    graphql_name "Query"

    project_subject = ->(_obj, args, _ctx) { Project.find_by(full_path: args[:project_path]) || args[:project_path] }

    field :project_secrets, Types::ProjectSecretType.connection_type, null: true,
                                                                      description: "List project secrets." do
      argument :project_path, ID, required: true
      extension PipelineGuard::GraphQL::Authorize, ability: :read_project_secrets, subject: project_subject,
                                                   each: :read_secret
    end

    field :project_secret, Types::ProjectSecretType, null: true, description: "View a specific project secret." do
      argument :project_path, ID, required: true
      argument :name, String, required: true
      extension PipelineGuard::GraphQL::Authorize, ability: :read_project_secrets, subject: project_subject
    end

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

    def project_secrets(project_path:)
      Project.find_by!(full_path: project_path).secrets.order(:name).to_a
    end

    def project_secret(project_path:, name:)
      secret = Project.find_by!(full_path: project_path).secrets.find_by(name:)
      raise PipelineGuard::GraphQL::ResourceNotAvailable if secret.nil?

      secret
    end
  end
end
