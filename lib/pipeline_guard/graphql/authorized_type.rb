# frozen_string_literal: true

module PipelineGuard
  module GraphQL
    # `authorized?` for object types, answered natively and memoized per
    # query, so items already checked by an `Authorize` list filter cost
    # nothing here.
    #
    #   class Types::ProjectSecret < Types::BaseObject
    #     extend PipelineGuard::GraphQL::AuthorizedType
    #     pipeline_guard_authorize :read_secret
    #   end
    #
    # `subject:` maps the application object to the subject (default: the
    # object). When the check fails graphql-ruby calls the schema's
    # `unauthorized_object`; `PipelineGuard::GraphQL::AuthorizedType.raise_unauthorized`
    # turns that into ResourceNotAvailable.
    module AuthorizedType
      def pipeline_guard_authorize(ability, subject: nil)
        @pipeline_guard_ability = ability.to_sym
        @pipeline_guard_subject = subject
      end

      def authorized?(object, context)
        return false unless super

        ability = pipeline_guard_ability
        return true if ability.nil?

        subject = pipeline_guard_subject ? pipeline_guard_subject.call(object, context) : object
        GraphQL.authorized?(context, ability, subject)
      end

      def pipeline_guard_ability
        return @pipeline_guard_ability if @pipeline_guard_ability

        superclass.respond_to?(:pipeline_guard_ability) ? superclass.pipeline_guard_ability : nil
      end

      def pipeline_guard_subject
        return @pipeline_guard_subject if @pipeline_guard_subject

        superclass.respond_to?(:pipeline_guard_subject) ? superclass.pipeline_guard_subject : nil
      end

      # For `def self.unauthorized_object(error)` in a schema.
      def self.raise_unauthorized(_error = nil)
        raise ResourceNotAvailable
      end
    end
  end
end
