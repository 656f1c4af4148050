# frozen_string_literal: true

class SecretsManagerSchema < GraphQL::Schema
  query Types::QueryType
  mutation Types::MutationType

  # A type whose `authorized?` failed: the same error as a missing resource.
  def self.unauthorized_object(error)
    PipelineGuard::GraphQL::AuthorizedType.raise_unauthorized(error)
  end
end
