# frozen_string_literal: true

# GitLab's SecretsManagement::ProjectSecretsManager. The OpenBao namespace
# is recorded at creation: when the project is deleted `project_id` becomes
# NULL and the deprovisioning job still knows what to remove.
class ProjectSecretsManager < ApplicationRecord
  include SecretsManagerLifecycle

  # GitLab's ProjectSecretsManager::DEFAULT_SECRETS_LIMIT.
  SECRETS_LIMIT = 100

  belongs_to :project, optional: true, inverse_of: :secrets_manager
  validates :project, presence: true, on: :create

  # GitLab's full OpenBao namespace path (org_<o>/group_<root>/project_<id>).
  before_create { self.namespace_path = OpenBaoPaths.for(project) }

  def owner = project
  def secrets_limit = SECRETS_LIMIT
end
