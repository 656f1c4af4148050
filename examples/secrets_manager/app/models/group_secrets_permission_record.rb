# frozen_string_literal: true

# Where a group's secrets permissions are stored (a project's live in
# `secrets_permissions`); OpenBao holds the same thing as ACL policies.
class GroupSecretsPermissionRecord < ApplicationRecord
  self.table_name = "group_secrets_permissions"

  belongs_to :group
  belongs_to :granted_by, class_name: "User", optional: true
  serialize :actions, JSON

  def expired?(now = Time.now) = !expired_at.nil? && now >= expired_at
end
