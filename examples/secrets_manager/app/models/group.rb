# frozen_string_literal: true

class Group < ApplicationRecord
  has_many :projects, dependent: :destroy
  has_many :group_secrets, dependent: :destroy
  has_many :secret_rotation_infos, dependent: :destroy

  # Secrets manager lifecycle, as for projects: deleting or moving a group
  # (to another parent) deprovisions its secrets manager.
  has_one :secrets_manager, class_name: "GroupSecretsManager", inverse_of: :group, dependent: :nullify
  before_destroy :deprovision_secrets_manager, prepend: true
  after_update :deprovision_secrets_manager, :deprovision_secrets_managers_below, if: :transferred?

  # The secrets this group's secrets manager holds, and what GitLab calls
  # its scope in messages.
  def secret_records = group_secrets
  def secrets_scope_name = "group"

  # What the deprovisioning job removes besides the OpenBao namespace.
  def purge_secrets_manager_data!
    group_secrets.destroy_all
    secret_rotation_infos.destroy_all
  end

  # Not archived and not pending deletion (GitLab's Group#active?).
  def active? = !archived && marked_for_deletion_at.nil?

  def marked_for_deletion? = !marked_for_deletion_at.nil?

  private

  def transferred?
    saved_change_to_full_path? && File.dirname(full_path_before_last_save) != File.dirname(full_path)
  end

  def deprovision_secrets_manager
    SecretsManagers.initiate_deprovision(secrets_manager, owner: self) if secrets_manager&.active?
  end

  # A move changes the root namespace of every project below, so GitLab
  # deprovisions their secrets managers too.
  def deprovision_secrets_managers_below
    projects.includes(:secrets_manager).each do |project|
      manager = project.secrets_manager
      SecretsManagers.initiate_deprovision(manager, owner: project) if manager&.active?
    end
  end
end
