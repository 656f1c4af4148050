# frozen_string_literal: true

# The life of a secrets manager, as GitLab's BaseSecretsManager has it:
# created `provisioning`, made `active` by the provisioning job, switched to
# `deprovisioning` when disabled (or its owner is deleted or transferred),
# and destroyed by the deprovisioning job once its data is gone. There is no
# stored "disabled" state: a project or group without a record is disabled.
module SecretsManagerLifecycle
  extend ActiveSupport::Concern

  # GitLab's numeric values (SecretsManagement::BaseSecretsManager::STATUSES).
  STATUSES = { provisioning: 0, active: 1, deprovisioning: 2 }.freeze

  # A transition GitLab's state machine does not allow.
  class InvalidTransition < StandardError; end

  included do
    enum status: STATUSES
  end

  # The record's owner: a Project or a Group.
  def owner = raise(NotImplementedError)

  # GitLab's `activate` event: any state but active => active.
  def activate!
    raise InvalidTransition, "cannot activate an active secrets manager" if active?

    update!(status: :active)
  end

  # GitLab's `initiate_deprovision` event: active => deprovisioning.
  def initiate_deprovision!
    raise InvalidTransition, "cannot deprovision a #{status} secrets manager" unless active?

    update!(status: :deprovisioning)
  end
end
