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

  before_create { self.namespace_path = "project_#{project.id}" }

  def owner = project
  def secrets_limit = SECRETS_LIMIT
end
