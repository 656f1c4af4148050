# frozen_string_literal: true

module Resolvers
  # nil while the secrets manager is not active, as in GitLab.
  class ProjectSecretsCountResolver < SecretsResolver
    type Integer, null: true
    argument :project_path, ID, required: true, description: "Full path of the project."

    def resolve(project_path:)
      project = project!(project_path)
      project.secrets_manager&.active? ? project.secrets.count : nil
    end
  end
end
