# frozen_string_literal: true

module Resolvers
  class ProjectSecretsResolver < SecretsResolver
    type [Types::ProjectSecretType], null: true
    argument :project_path, ID, required: true, description: "Project the secrets belong to."

    def resolve(project_path:)
      project = project!(project_path)
      active!(project)
      list(project)
    end
  end
end
