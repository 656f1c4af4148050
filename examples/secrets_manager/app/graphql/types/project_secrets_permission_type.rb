# frozen_string_literal: true

module Types
  class ProjectSecretsPermissionType < BaseObject
    graphql_name "ProjectSecretsPermission"
    field :project, Types::ProjectType, null: false
    field :principal, Types::PrincipalType, null: false
    field :actions, [Types::ActionEnum], null: false
    field :expired_at, GraphQL::Types::ISO8601DateTime, null: true
    field :granted_by, String, null: true

    def principal = { type: object.principal_type, id: object.principal_id }
    def granted_by = object.granted_by&.username
  end
end
