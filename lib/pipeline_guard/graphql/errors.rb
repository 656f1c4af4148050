# frozen_string_literal: true

module PipelineGuard
  module GraphQL
    # Raised for a denied or missing resource, with GitLab's wording so a
    # client cannot tell "does not exist" from "not allowed".
    class ResourceNotAvailable < ::GraphQL::ExecutionError
      MESSAGE = "The resource that you are attempting to access does not exist " \
                "or you don't have permission to perform this action"

      def initialize(message = MESSAGE, **kwargs)
        super(message, **kwargs)
      end

      def to_h
        super.merge("extensions" => { "code" => "RESOURCE_NOT_AVAILABLE" })
      end
    end
  end
end
