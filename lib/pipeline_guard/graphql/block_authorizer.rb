# frozen_string_literal: true

module PipelineGuard
  module GraphQL
    # An authorizer from two blocks, for checks that are not RBAC paths
    # (for example a secret's own permissions). `many` defaults to calling
    # `one` for each subject.
    class BlockAuthorizer
      def initialize(one:, many: nil)
        @one = one
        @many = many
      end

      def authorized?(context, ability, subject) = @one.call(context, ability, subject) ? true : false

      def authorized_many(context, ability, subjects)
        return @many.call(context, ability, subjects) if @many

        subjects.map { |s| authorized?(context, ability, s) }
      end
    end
  end
end
