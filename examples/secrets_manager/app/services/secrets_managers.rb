# frozen_string_literal: true

# Enabling and disabling a project's or group's secrets manager (GitLab's
# {Project,Group}SecretsManagers::InitializeService and
# InitiateDeprovisionService, with their error texts). Both return
# [secrets_manager, error_message]; the work itself runs in jobs.
module SecretsManagers
  INACTIVE = "Secrets manager is not active"
  DEPROVISION_IN_PROGRESS = "Secrets manager deprovision is in progress"
  USER_NAMESPACE = "Secrets manager is not available for projects in user namespaces."

  class << self
    def initialize_for(owner, user: nil)
      existing = owner.secrets_manager
      return [nil, DEPROVISION_IN_PROGRESS] if existing&.deprovisioning?
      return [nil, "Secrets manager already initialized for the #{kind(owner)}."] if existing
      return [nil, USER_NAMESPACE] if owner.is_a?(Project) && owner.group_id.nil?

      manager = owner.create_secrets_manager!
      ProvisionSecretsManagerJob.perform_later(manager, user&.id)
      [manager, nil]
    end

    def initiate_deprovision(manager, user: nil, owner: nil)
      return [nil, "Secrets manager not found for the #{kind(owner)}."] if manager.nil?
      return [nil, INACTIVE] unless manager.active?

      manager.initiate_deprovision!
      DeprovisionSecretsManagerJob.perform_later(manager, user&.id)
      [manager, nil]
    end

    # The refusal GitLab gives for any secret operation on `owner`, or nil.
    def inactive_error(owner)
      owner.secrets_manager&.active? ? nil : INACTIVE
    end

    private

    def kind(owner) = owner.is_a?(Group) ? "group" : "project"
  end
end
