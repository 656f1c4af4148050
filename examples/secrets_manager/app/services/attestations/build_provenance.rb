# frozen_string_literal: true

require "stringio"

module Attestations
  # GitLab's switch: a job of the `build` stage whose definition sets
  # ATTEST_BUILD_ARTIFACTS (any value but a false one, as
  # Gitlab::Utils.to_boolean with default true) and that finished
  # successfully with artifacts gets one provenance attestation per
  # artifact. The statement is built from the job record only (project,
  # ref, commit, runner, times, the definition's variables), never from what
  # the runner reports, and signed with the platform key. The platform signs
  # (GitLab's LOCAL_CA method), so private projects are attested too.
  class BuildProvenance
    VARIABLE = "ATTEST_BUILD_ARTIFACTS"
    STAGE = "build"
    FALSE_VALUES = %w[false no off 0 f n].freeze

    def self.wanted?(build)
      build.status == "success" && build.stage == STAGE && switched_on?(build) && build.job_artifacts.exists?
    end

    def self.switched_on?(build)
      variable = Array(build.yaml_variables).find { |v| v.is_a?(Hash) && v["key"] == VARIABLE }
      !variable.nil? && !FALSE_VALUES.include?(variable["value"].to_s.strip.downcase)
    end

    def initialize(build)
      @build = build
    end

    # The attestations written (an artifact whose digest the project has
    # already attested keeps its first attestation).
    def execute
      return [] unless self.class.wanted?(@build)

      @build.job_artifacts.order(:id).filter_map { |artifact| attest(artifact) }
    end

    private

    def attest(artifact)
      return nil if SupplyChain::Attestation.provenance.exists?(project_id: @build.project_id,
                                                                subject_digest: artifact.sha256)

      statement = PipelineGuard::SLSA::Provenance.build(facts(artifact))
      envelope = PipelineGuard::DSSE.sign(statement, payload_type: PipelineGuard::DSSE::IN_TOTO_PAYLOAD_TYPE,
                                                     signer: PlatformKey.signer)
      record(artifact, :success, statement["predicateType"], JSON.generate(envelope))
    rescue PipelineGuard::Error => e
      Rails.logger.error("attestation of job #{@build.id} failed: #{e.class}")
      record(artifact, :error, PipelineGuard::SLSA::PREDICATE_TYPE, nil)
    end

    def record(artifact, status, predicate_type, file)
      SupplyChain::Attestation.create!(project_id: @build.project_id, build: @build, status:,
                                       predicate_kind: :provenance, predicate_type:, subject_digest: artifact.sha256,
                                       signed_by: "platform", file:)
    end

    def facts(artifact)
      project = @build.project
      {
        subjects: [{ name: artifact.name, io: StringIO.new(artifact.file) }],
        source: Attestations.project_url(project), entry_point: @build.name, variables:,
        runner_name: @build.runner&.description.to_s, executor: "unknown", architecture: "unknown",
        runner_version: "unknown", job_id: @build.id, commit_sha: @build.sha,
        builder_id: Attestations.builder_id(@build), started_at: @build.started_at, finished_at: @build.finished_at
      }
    end

    # Predefined variables from the job record, then the definition's.
    def variables
      predefined = {
        "CI_PROJECT_PATH" => @build.project.full_path, "CI_PIPELINE_ID" => @build.pipeline_id.to_s,
        "CI_JOB_ID" => @build.id.to_s, "CI_JOB_NAME" => @build.name, "CI_COMMIT_SHA" => @build.sha,
        "CI_COMMIT_REF_NAME" => @build.ref, "CI_COMMIT_REF_PROTECTED" => @build.ref_protected?.to_s
      }.map { |key, value| { key:, value: } }
      predefined + Array(@build.yaml_variables).grep(Hash).map do |v|
        { key: v["key"].to_s, value: v["value"].to_s, masked: v["masked"] == true, hidden: v["hidden"] == true }
      end
    end
  end
end
