# frozen_string_literal: true

require "date"

module PipelineGuard
  # GitLab-style role-based access control for GraphQL resolvers: access
  # levels (Guest 10 ... Owner 50), custom member roles, and memberships on
  # namespace paths that cover every path below them.
  module RBAC
    # GitLab's access levels by name.
    ACCESS_LEVELS = {
      guest: 10, planner: 15, reporter: 20, developer: 30, maintainer: 40, owner: 50
    }.freeze

    # Unix seconds from nil, Integer, Time, Date (midnight UTC) or DateTime.
    def self.unix(value)
      case value
      when nil, Integer then value
      when Time then value.to_i
      when DateTime then value.to_time.to_i
      when Date then Time.utc(value.year, value.month, value.day).to_i
      else
        raise TypeError, "expected Time, Date or Integer unix seconds, got #{value.class}" unless
          value.respond_to?(:to_time)

        value.to_time.to_i
      end
    end
  end
end

require_relative "rbac/model"
