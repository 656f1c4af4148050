# frozen_string_literal: true

class SecretsPermission < ApplicationRecord
  PRINCIPAL_TYPES = %w[User Group Role MemberRole].freeze

  belongs_to :project
  belongs_to :granted_by, class_name: "User", optional: true
  serialize :actions, JSON

  validates :principal_type, inclusion: { in: PRINCIPAL_TYPES }

  after_save { ProjectAccess.changed!(project_id) }
  after_destroy { ProjectAccess.changed!(project_id) }
  after_commit { ProjectAccess.reset!(project_id) }

  def expired?(now = Time.now) = !expired_at.nil? && now >= expired_at
end
