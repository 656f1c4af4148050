# frozen_string_literal: true

class SecretsManagerSchema < GraphQL::Schema
  query Types::QueryType
  mutation Types::MutationType
  directive Directives::GlIntroduced

  # Like GitLab's ErrorMapping: never pass an OpenBao error to the client.
  rescue_from(PipelineGuard::OpenBao::ClientError) do |err|
    Rails.logger.error("OpenBao: #{err.message}")
    raise GraphQL::ExecutionError, "Internal server error."
  end

  # OpenBao refused the person's own login or request (their policies do
  # not allow it): GitLab's GraphqlErrorHandling answers a permission error
  # with "resource not available".
  rescue_from(SecretStore::Denied) do |err|
    Rails.logger.info("OpenBao refused: #{err.message}")
    raise PipelineGuard::GraphQL::ResourceNotAvailable, PipelineGuard::GraphQL::ResourceNotAvailable::MESSAGE
  end

  # A type whose `authorized?` failed: the same error as a missing resource.
  def self.unauthorized_object(error)
    PipelineGuard::GraphQL::AuthorizedType.raise_unauthorized(error)
  end
end
