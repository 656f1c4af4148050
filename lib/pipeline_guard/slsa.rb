# frozen_string_literal: true

require "pathname"
require "json"

module PipelineGuard
  # SLSA provenance: in-toto statements in GitLab's buildType shape, subject
  # digests of artifacts, and verification of platform-signed provenance.
  # See docs/slsa.md.
  module SLSA
    STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
    PREDICATE_TYPE = "https://slsa.dev/provenance/v1"
    # The buildType GitLab writes today (app/models/ci/slsa/provenance_statement.rb).
    GITLAB_BUILD_TYPE = "https://gitlab.com/gitlab-org/gitlab/-/issues/546150"
    # GitLab attests artifacts of at most 100 MB; larger ones are refused.
    MAX_ARTIFACT_BYTES = 100 * 1024 * 1024
    DIGEST_ALGORITHMS = %w[sha256 sha384 sha512].freeze
    DEFAULT_ALGORITHMS = %w[sha256 sha512].freeze
    CHUNK = 1024 * 1024
  end
end

require_relative "slsa_digest"
require_relative "slsa_provenance"
require_relative "slsa_verify"
