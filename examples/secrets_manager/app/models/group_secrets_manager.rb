# frozen_string_literal: true

# GitLab's SecretsManagement::GroupSecretsManager (see ProjectSecretsManager).
class GroupSecretsManager < ApplicationRecord
  include SecretsManagerLifecycle

  # GitLab's GroupSecretsManager::DEFAULT_SECRETS_LIMIT.
  SECRETS_LIMIT = 500

  belongs_to :group, optional: true, inverse_of: :secrets_manager
  validates :group, presence: true, on: :create

  before_create { self.namespace_path = "group_#{group.id}" }

  def owner = group
  def secrets_limit = SECRETS_LIMIT
end
