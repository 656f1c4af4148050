# frozen_string_literal: true

module PipelineGuard
  module GraphQL
    # Answers "may the current user do ABILITY to SUBJECT" from a
    # PipelineGuard::RBAC::Model: the user id comes from the query context
    # and the subject is turned into a namespace path.
    #
    #   PipelineGuard::GraphQL.authorizer = PipelineGuard::GraphQL::RBACAuthorizer.new(
    #     model, user_id: ->(ctx) { ctx[:current_user]&.id }, path: ->(s) { s.full_path })
    #
    # Any object with `authorized?(context, ability, subject)` and
    # `authorized_many(context, ability, subjects)` (=> booleans) can be an
    # authorizer.
    class RBACAuthorizer
      DEFAULT_USER_ID = ->(ctx) { ctx[:current_user_id] || ctx[:current_user]&.id }
      DEFAULT_PATH = lambda do |subject|
        next subject if subject.is_a?(String)
        next subject.full_path if subject.respond_to?(:full_path)

        raise ArgumentError, "cannot turn #{subject.class} into a namespace path; pass path:"
      end

      def initialize(model, user_id: DEFAULT_USER_ID, path: DEFAULT_PATH)
        @model = model
        @user_id = user_id
        @path = path
      end

      def model
        @model.respond_to?(:call) ? @model.call : @model
      end

      def authorized?(context, ability, subject)
        uid = @user_id.call(context)
        return false if uid.nil?

        model.can?(uid, ability, @path.call(subject))
      end

      def authorized_many(context, ability, subjects)
        uid = @user_id.call(context)
        return Array.new(subjects.size, false) if uid.nil?

        paths = @path.equal?(DEFAULT_PATH) && subjects.all?(String) ? subjects : subjects.map { |s| @path.call(s) }
        m = model
        return m.allowed_many(uid, ability, paths) if m.respond_to?(:allowed_many)

        allowed = m.filter(uid, ability, paths).to_set # `filter` returns the allowed paths
        paths.map { |p| allowed.include?(p) }
      end
    end
  end
end
