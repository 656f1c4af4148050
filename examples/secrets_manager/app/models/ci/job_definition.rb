# frozen_string_literal: true

module Ci
  # One job of a project's CI configuration: its stage, the environment it
  # deploys to (may name $CI_COMMIT_REF_NAME or $CI_COMMIT_REF_SLUG) and its
  # `secrets:` keyword, e.g.
  #   { "DATABASE_URL" => { "gitlab_secrets_manager" => { "name" => "DATABASE_URL" } },
  #     "SHARED" => { "gitlab_secrets_manager" => { "name" => "SHARED", "source" => "group/acme" } } }
  class JobDefinition < ApplicationRecord
    belongs_to :project
    serialize :secrets, JSON
    serialize :yaml_variables, JSON # the job's `variables:` keyword, [{"key" => ..., "value" => ...}]
    validates :name, :stage, presence: true
  end
end
