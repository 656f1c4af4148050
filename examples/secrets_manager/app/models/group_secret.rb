# frozen_string_literal: true

# A group secret (GitLab's GroupSecret): scoped by environment and by
# whether only protected branches may read it, instead of by branch.
class GroupSecret < ApplicationRecord
  include SecretRecord

  belongs_to :group
  pipeline_guard_encrypts :value, associated_data: %i[group_id name]

  validates :protected, inclusion: { in: [true, false] }

  def owner = group

  def openbao_custom_metadata
    { environment:, protected: protected.to_s, description: description.presence }.compact
  end
end
