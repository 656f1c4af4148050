# frozen_string_literal: true

# A protected environment: only people with at least `deploy_access_level`
# may run jobs that deploy to it.
class ProtectedEnvironment < ApplicationRecord
  belongs_to :project
  validates :name, presence: true

  def matches?(environment) = RefMatcher.matches?(name, environment)
  def allows?(access_level) = access_level.to_i >= deploy_access_level
end
