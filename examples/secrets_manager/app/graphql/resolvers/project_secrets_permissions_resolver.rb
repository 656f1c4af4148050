# frozen_string_literal: true

module Resolvers
  class ProjectSecretsPermissionsResolver < SecretsPermissionsResolver
    type Types::ProjectSecretsPermissionType.connection_type, null: true
    argument :project_path, ID, required: true, description: "Project the secrets permissions belong to."

    def resolve(project_path:) = list(Project.find_by!(full_path: project_path))
  end
end
