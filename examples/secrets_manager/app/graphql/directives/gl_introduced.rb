# frozen_string_literal: true

module Directives
  # GitLab's `@gl_introduced(version:)`: a field introduced in a later
  # version than the API this app follows is left out of the answer (not
  # resolved, so a non-null field cannot fail), as GitLab's VersionFilter
  # removes it from the query.
  class GlIntroduced < GraphQL::Schema::Directive
    # The GitLab version whose GraphQL surface this app follows.
    API_VERSION = Gem::Version.new("19.4.1")

    graphql_name "gl_introduced"
    description "Marks a field as introduced in a specific version. " \
                "Fields with a version higher than the current one will return null."
    argument :version, String, required: true,
                               description: "The version when this field was introduced (e.g. '18.1.0')"
    locations FIELD, INLINE_FRAGMENT

    def self.resolve(_object, arguments, _context)
      introduced = Gem::Version.new(arguments[:version]) if Gem::Version.correct?(arguments[:version])
      yield unless introduced && introduced > API_VERSION
    end
  end
end
