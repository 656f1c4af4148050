# frozen_string_literal: true

# A branch name of a project (what GitLab reads from the repository).
class Branch < ApplicationRecord
  belongs_to :project
end
