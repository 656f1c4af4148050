# frozen_string_literal: true

module Ci
  # A job of a pipeline. Its ref, protection and environment are copied from
  # server state when the pipeline is created; the ID token a runner gets for
  # it is minted from this record alone.
  class Build < ApplicationRecord
    belongs_to :pipeline, class_name: "Ci::Pipeline"
    belongs_to :project
    belongs_to :user
    belongs_to :runner, class_name: "Ci::Runner", optional: true
    serialize :secrets, JSON
    serialize :yaml_variables, JSON # the definition's `variables:`, copied at creation
    has_many :job_artifacts, class_name: "Ci::JobArtifact", dependent: :delete_all

    scope :pending, -> { where(status: "pending") }

    delegate :ref, :ref_type, :ref_path, :sha, to: :pipeline

    def ref_protected? = pipeline.protected

    def environment_protected?
      environment.present? && ProtectedEnvironment.where(project_id:).any? { |pe| pe.matches?(environment) }
    end
  end
end
