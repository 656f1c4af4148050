# frozen_string_literal: true

module PipelineGuard
  module SLSA
    # Statements from CI job facts.
    module Provenance
      class << self
        # `facts`: a Hash (symbol or string keys) with subjects:, source:,
        # entry_point:, variables:, runner_name:, executor:, architecture:,
        # job_id:, commit_sha:, builder_id:, runner_version:, started_at:,
        # finished_at:, build_type: (see docs/slsa.md). A subject may give
        # `path:` or `io:` instead of `digest:` (SHA-256 and SHA-512 are
        # computed, streamed, at most 100 MB). Times may be Time objects.
        # Returns the statement Hash in GitLab's member order.
        def build(facts)
          raise TypeError, "job facts must be a Hash, not #{facts.class}" unless facts.is_a?(Hash)

          _build(normalize(facts))
        end

        # The statement as the DSSE payload (compact JSON).
        def to_payload(statement) = JSON.generate(statement)

        private

        def normalize(facts)
          facts.to_h do |key, value|
            key = key.to_s
            value = case key
                    when "subjects" then Array(value).map { |s| subject(s) }
                    when "started_at", "finished_at" then timestamp(value)
                    else value
                    end
            [key, value]
          end
        end

        def subject(spec)
          raise ProvenanceError, "invalid provenance facts: a subject must be a Hash" unless spec.is_a?(Hash)

          spec = spec.transform_keys(&:to_s)
          source = spec.delete("path") || spec.delete("io")
          spec["digest"] ||= SLSA.digest(source) if source
          spec
        end

        def timestamp(value)
          value.respond_to?(:getutc) ? value.getutc.strftime("%Y-%m-%dT%H:%M:%SZ") : value
        end
      end
    end
  end
end
