# frozen_string_literal: true

module Types
  # GitLab's SecretsPermissionInterface fields, shared by the project and
  # group permission types.
  module SecretsPermissionFields
    def self.included(base)
      base.field :principal, Types::PrincipalType,
                 null: false, description: "Who is provided access to. For eg: User/Role/MemberRole."
      base.field :actions, [Types::ActionEnum], null: false, description: "Actions that can be performed on secrets."
      base.field :granted_by, Types::UserType, null: true, description: "User who created the Secret Permission."
      base.field :expired_at, GraphQL::Types::ISO8601Date,
                 null: true, description: "Expiration date for Secret Permission (optional)."
    end

    def principal = object
    def actions = Array(object.actions)
    def granted_by = object.granted_by_user
    def expired_at = object.normalized_expired_at&.then { |t| Time.iso8601(t).utc.to_date }
  end
end
