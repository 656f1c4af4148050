# frozen_string_literal: true

module Ci
  # A file a job uploaded as an artifact, with its size and SHA-256 taken
  # from the received bytes (never from the uploader).
  class JobArtifact < ApplicationRecord
    belongs_to :build, class_name: "Ci::Build"
    belongs_to :project

    validates :name, presence: true, length: { maximum: 255 }, uniqueness: { scope: :build_id }
  end
end
