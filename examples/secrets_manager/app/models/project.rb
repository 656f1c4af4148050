# frozen_string_literal: true

class Project < ApplicationRecord
  belongs_to :group, optional: true
  has_many :secrets, dependent: :destroy
  has_many :secrets_permissions, dependent: :destroy
  has_many :repository_refs, dependent: :delete_all
  has_many :secret_rotation_infos, dependent: :destroy

  # Secrets manager lifecycle: deleting or transferring a project
  # deprovisions its secrets manager (GitLab does both).
  has_one :secrets_manager, class_name: "ProjectSecretsManager", inverse_of: :project, dependent: :nullify
  before_destroy :deprovision_secrets_manager, prepend: true
  after_update :deprovision_secrets_manager, if: :transferred?

  # The secrets this project's secrets manager holds, and what GitLab calls
  # its scope in messages.
  def secret_records = secrets
  def secrets_scope_name = "project"

  # What the deprovisioning job removes besides the OpenBao namespace.
  def purge_secrets_manager_data!
    secrets.destroy_all
    secrets_permissions.destroy_all
    secret_rotation_infos.destroy_all
  end

  # GitLab refuses writes to an archived project or one pending deletion
  # (its own state or a parent group's).
  def self_and_ancestors_active?
    !archived && marked_for_deletion_at.nil? && (group.nil? || group.active?)
  end

  def marked_for_deletion? = !marked_for_deletion_at.nil?

  private

  def transferred?
    saved_change_to_group_id? ||
      (saved_change_to_full_path? && File.dirname(full_path_before_last_save) != File.dirname(full_path))
  end

  def deprovision_secrets_manager
    SecretsManagers.initiate_deprovision(secrets_manager, owner: self) if secrets_manager&.active?
  end
end
