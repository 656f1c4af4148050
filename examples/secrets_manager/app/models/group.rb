# frozen_string_literal: true

class Group < ApplicationRecord
  has_many :projects, dependent: :destroy

  # Secrets manager lifecycle, as for projects: deleting or moving a group
  # (to another parent) deprovisions its secrets manager.
  has_one :secrets_manager, class_name: "GroupSecretsManager", inverse_of: :group, dependent: :nullify
  before_destroy :deprovision_secrets_manager, prepend: true
  after_update :deprovision_secrets_manager, if: :transferred?

  # What the deprovisioning job removes besides the OpenBao namespace.
  def purge_secrets_manager_data!; end

  private

  def transferred?
    saved_change_to_full_path? && File.dirname(full_path_before_last_save) != File.dirname(full_path)
  end

  def deprovision_secrets_manager
    SecretsManagers.initiate_deprovision(secrets_manager, owner: self) if secrets_manager&.active?
  end
end
