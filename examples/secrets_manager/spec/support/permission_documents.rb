# frozen_string_literal: true

require "yaml"

# GitLab 19.4's secrets-permission GraphQL documents
# (spec/fixtures/gitlab_graphql, listed in SOURCES-permissions.yml).
module PermissionDocuments
  DIR = File.expand_path("../fixtures/gitlab_graphql", __dir__)

  module_function

  def manifest = YAML.safe_load(File.read(File.join(DIR, "SOURCES-permissions.yml")))
  def names = manifest.fetch("documents").map { |d| d.fetch("file") }
  def text(name) = File.read(File.join(DIR, name))
end

# Runs one of those documents over HTTP with the variables GitLab's
# frontend sends.
module AppHelpers
  def permission_document(name, as:, **variables)
    graphql(PermissionDocuments.text(name), as:, variables:)
  end
end
