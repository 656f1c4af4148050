# frozen_string_literal: true

module SecretsPermissions
  # GitLab 19.4's default role policies, written once per provisioned
  # secrets manager: a project gets Owner (read, write, delete) and
  # Maintainer (read, write); a group gets Owner only, because a group grant
  # reaches every project below it. Developers get nothing by default. An
  # Owner may change the Maintainer one and delete either afterwards; 19.4
  # takes no Owner grant, so the Owner's stays as provisioned while it exists.
  module DefaultRolePolicies
    ROLE_ACTIONS = { Membership::OWNER => %w[read write delete], Membership::MAINTAINER => %w[read write] }.freeze

    # The gem's default role policies for the resource's kind, { name => HCL }.
    def self.gem_policies(resource)
      PipelineGuard::SecretsManager::Permission.default_role_policies(resource.is_a?(Group) ? :group : :project)
    end

    # The roles the gem provisions (users/roles/<level>), so the stored
    # defaults and the policies written follow the gem.
    def self.roles_for(resource)
      gem_policies(resource).keys.map { |name| Integer(name.delete_prefix("users/roles/")) }
    end

    # Seeds the defaults the first time an active secrets manager is seen;
    # a re-enabled one is a new secrets manager and starts from them again.
    def self.ensure!(resource)
      manager = resource.secrets_manager
      return unless manager&.active?

      marker = { secrets_manager_type: manager.class.name, secrets_manager_id: manager.id }
      key = marker.values.join(":")
      return if seeded.include?(key) # checked on every authorization: keep it off the database

      seed(resource, manager, marker) unless SecretsManagerRoleDefault.exists?(marker)
      seeded << key
      ProjectAccess.reset!(resource.id) if resource.is_a?(Project)
    rescue ActiveRecord::RecordNotUnique
      nil # seeded concurrently
    end

    def self.seed(resource, manager, marker)
      SecretsManagerRoleDefault.transaction do
        store = Store.new(resource)
        if earlier_manager?(manager, resource) # its grants died with it
          store.records.delete_all
          ProjectAccess.changed!(resource.id) if resource.is_a?(Project)
        end
        roles_for(resource).each do |level| # a grant stored since provisioning is newer: it stays
          store.records.find_or_create_by!(principal_type: "Role", principal_id: level) do |record|
            record.actions = ROLE_ACTIONS.fetch(level)
          end
        end
        SecretsManagerRoleDefault.create!(**marker, resource_id: resource.id)
      end
    end

    def self.earlier_manager?(manager, resource)
      SecretsManagerRoleDefault.where(secrets_manager_type: manager.class.name, resource_id: resource.id)
                               .where.not(secrets_manager_id: manager.id).exists?
    end

    def self.seeded = (@seeded ||= Concurrent::Set.new)
    def self.reset! = (@seeded = nil)
  end
end
