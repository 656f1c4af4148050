# frozen_string_literal: true

module Resolvers
  class ProjectSecretsManagerResolver < SecretsResolver
    type Types::ProjectSecretsManagerType, null: true
    argument :project_path, ID, required: true, description: "Project of the secrets manager."

    def resolve(project_path:) = project!(project_path).secrets_manager
  end
end
