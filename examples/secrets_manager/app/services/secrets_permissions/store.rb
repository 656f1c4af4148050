# frozen_string_literal: true

module SecretsPermissions
  # The stored permissions of one project or group, as GitLab keeps them in
  # OpenBao policies: one per principal, replaced whole on every update.
  class Store
    def initialize(resource)
      @resource = resource
    end

    def project? = @resource.is_a?(Project)

    def records
      return SecretsPermission.where(project_id: @resource.id) if project?

      GroupSecretsPermissionRecord.where(group_id: @resource.id)
    end

    def permission_class = project? ? ProjectSecretsPermission : GroupSecretsPermission

    def find(principal_type, principal_id) = records.find_by(principal_type:, principal_id:)

    def save(permission)
      record = records.find_or_initialize_by(principal_type: permission.principal_type,
                                             principal_id: permission.principal_id)
      record.update!(actions: Array(permission.actions), expired_at: permission.normalized_expired_at,
                     granted_by_id: permission.granted_by)
      changed
    end

    def delete(principal_type, principal_id)
      records.where(principal_type:, principal_id:).delete_all
      changed
    end

    # The OpenBao policies GitLab writes for the stored permissions, from the
    # gem: { name => HCL }, management policies and, for read_value, the
    # api/ ones.
    def openbao_policies
      permissions.reject(&:expired?).map { |p| policies_of(p) }.reduce({}, :merge)
    end

    # Current permissions as GitLab's list service reads them back (legacy
    # GROUP grants are not listed: 19.4 has no such principal).
    def permissions
      records.where(principal_type: BaseSecretsPermission::VALID_PRINCIPAL_TYPES).map do |r|
        permission_class.new(resource: @resource, principal_type: r.principal_type, principal_id: r.principal_id,
                             actions: read_back(r.actions), granted_by: r.granted_by_id,
                             expired_at: r.expired_at&.utc&.iso8601)
      end
    end

    private

    # The Owner role policy is the one written at provisioning: 19.4 has no
    # Owner grant, so it can be kept or deleted but never changed.
    def policies_of(permission)
      return permission.to_pipeline_guard.openbao_policies unless
        permission.principal_type == "Role" && permission.principal_id == Membership::OWNER

      DefaultRolePolicies.gem_policies(@resource).slice("users/roles/#{Membership::OWNER}")
    end

    # What GitLab reads back from the policies' capabilities.
    def read_back(actions) = permission_class.new(actions:).normalized_actions

    def changed
      ProjectAccess.changed!(@resource.id) if project? # delete_all skips the records' callbacks
      SecretStore.current.sync_policies(@resource) # groups' permission policies too
      true
    end
  end
end
