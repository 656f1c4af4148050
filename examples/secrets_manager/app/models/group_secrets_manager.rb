# frozen_string_literal: true

# GitLab's SecretsManagement::GroupSecretsManager (see ProjectSecretsManager).
class GroupSecretsManager < ApplicationRecord
  include SecretsManagerLifecycle

  # GitLab's GroupSecretsManager::DEFAULT_SECRETS_LIMIT.
  SECRETS_LIMIT = 500

  belongs_to :group, optional: true, inverse_of: :secrets_manager
  validates :group, presence: true, on: :create

  # GitLab's full OpenBao namespace path (org_<o>/group_<root>/group_<id>).
  before_create { self.namespace_path = OpenBaoPaths.for(group) }

  def owner = group
  def secrets_limit = SECRETS_LIMIT
end
