# frozen_string_literal: true

# A branch or tag of a project's repository, with the commit it points at.
# Pipelines are created only for refs that exist here.
class RepositoryRef < ApplicationRecord
  TYPES = %w[branch tag].freeze

  belongs_to :project
  validates :name, :sha, presence: true
  validates :ref_type, inclusion: { in: TYPES }
end
