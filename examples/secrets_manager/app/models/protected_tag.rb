# frozen_string_literal: true

# A protected tag: who may create matching tags, and so run pipelines for them.
class ProtectedTag < ApplicationRecord
  belongs_to :project
  validates :name, presence: true

  def matches?(tag) = RefMatcher.matches?(name, tag)
  def allows?(access_level) = access_level.to_i >= create_access_level
end
