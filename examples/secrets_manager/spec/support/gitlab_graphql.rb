# frozen_string_literal: true

require "yaml"
require "active_support/testing/time_helpers"

# GitLab's frontend GraphQL documents, copied verbatim into
# spec/fixtures/gitlab_graphql with a `.source.yml` sidecar each.
module GitlabGraphql
  DIR = File.expand_path("../fixtures/gitlab_graphql", __dir__)
  IMPORT = /^#import "(?<path>[^"]+)"[^\S\n]*\n?/

  module_function

  def names = Dir[File.join(DIR, "*.graphql")].map { |f| File.basename(f) }.sort

  def source(name) = YAML.safe_load(File.read(File.join(DIR, "#{name}.source.yml")))

  # The document as GitLab's webpack loader hands it to Apollo: every
  # `#import "x.fragment.graphql"` replaced by that fragment's text
  # (recursively, each fragment once).
  def document(name, seen = {})
    text = File.read(File.join(DIR, name))
    text.gsub(IMPORT) do
      fragment = File.basename(Regexp.last_match[:path])
      next "" if seen[fragment]

      seen[fragment] = true
      document(fragment, seen)
    end
  end
end

# Executing the documents over HTTP, with the variables GitLab's frontend sends.
module AppHelpers
  def gitlab_graphql(name, as:, **variables)
    graphql(GitlabGraphql.document(name), as:, variables:)
  end
end

RSpec.configure do |config|
  config.include ActiveSupport::Testing::TimeHelpers
  config.after { travel_back }
end
