# frozen_string_literal: true

# A protected branch: who may push to or merge into matching branches, and so
# who may run pipelines for them.
class ProtectedBranch < ApplicationRecord
  belongs_to :project
  validates :name, presence: true

  def matches?(branch) = RefMatcher.matches?(name, branch)

  # GitLab's `can_update_branch?`: pushing or merging is enough.
  def allows?(access_level) = access_level.to_i >= [push_access_level, merge_access_level].min
end
