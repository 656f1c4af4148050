# frozen_string_literal: true

module Types
  class ProjectSecretsPermissionType < BaseObject
    graphql_name "ProjectSecretsPermission"
    description "Representation of a project secrets permission."
    include SecretsPermissionFields

    field :project, Types::ProjectType, null: false, description: "Project the secrets permission belongs to."

    def project = object.resource
  end
end
