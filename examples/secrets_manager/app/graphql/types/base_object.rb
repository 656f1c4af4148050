# frozen_string_literal: true

module Types
  class BaseObject < GraphQL::Schema::Object
    extend PipelineGuard::GraphQL::AuthorizedType
  end
end
