# frozen_string_literal: true

module Ci
  # A pipeline for one ref of a project, with the facts the server looked up
  # when it was created: ref type, commit, protection.
  class Pipeline < ApplicationRecord
    belongs_to :project
    belongs_to :user
    has_many :builds, class_name: "Ci::Build", dependent: :destroy

    def ref_type = tag ? "tag" : "branch"
    def ref_path = "refs/#{tag ? 'tags' : 'heads'}/#{ref}"
  end
end
