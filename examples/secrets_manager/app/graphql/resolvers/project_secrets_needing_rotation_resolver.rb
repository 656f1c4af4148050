# frozen_string_literal: true

module Resolvers
  class ProjectSecretsNeedingRotationResolver < SecretsResolver
    type [Types::ProjectSecretType], null: true
    argument :project_path, ID, required: true, description: "Project the secrets belong to."

    def resolve(project_path:)
      project = project!(project_path)
      active!(project)
      needing_rotation(project)
    end
  end
end
