# frozen_string_literal: true

module Resolvers
  # GitLab's {Project,Group}SecretsPermissionsResolver: the list service's
  # permissions, or its message ("Secrets manager is not active") as a
  # not-available error. Authorization is the field's extension.
  class SecretsPermissionsResolver < GraphQL::Schema::Resolver
    private

    def list(resource)
      result = SecretsPermissions::ListService.new(resource, context[:current_user]).execute
      raise PipelineGuard::GraphQL::ResourceNotAvailable, result.message unless result.success?

      result.payload[:secrets_permissions]
    end
  end
end
