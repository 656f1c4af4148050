# frozen_string_literal: true

module Types
  # GitLab's `Time` scalar: ISO 8601.
  class TimeType < GraphQL::Schema::Scalar
    graphql_name "Time"
    description "Time represented in ISO 8601."

    def self.coerce_input(value, _ctx)
      return if value.nil?

      Time.iso8601(value)
    rescue ArgumentError, TypeError => e
      raise GraphQL::CoercionError, e.message
    end

    def self.coerce_result(value, _ctx) = value.utc.iso8601
  end
end
