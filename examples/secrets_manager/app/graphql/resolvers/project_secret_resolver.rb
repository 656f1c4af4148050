# frozen_string_literal: true

module Resolvers
  class ProjectSecretResolver < SecretsResolver
    type Types::ProjectSecretType, null: true
    argument :project_path, ID, required: true, description: "Project the secrets belong to."
    argument :name, String, required: true, description: "Name of the project secret to view."

    def resolve(project_path:, name:) = read(project!(project_path), name)
  end
end
