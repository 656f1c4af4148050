# frozen_string_literal: true

require_relative "policy_changes"

module PipelineGuard
  module SecretsManager
    # The secrets, permissions and pipeline policies of one project secrets
    # manager (or, with Project.group, a group's). Thread-safe. Secret values
    # never enter it.
    class Project
      USER_ACTIONS = %i[read read_metadata read_value create update delete].freeze

      # Native: `Project.new(project_id:)`, a freshly provisioned project
      # secrets manager with GitLab 19.4's default role policies (Owner
      # read/write/delete, Maintainer read/write); `Project.group(group_id:)`,
      # a group secrets manager (Owner policy only). Owners' access comes
      # from the Owner policy alone: `delete_permission(principal_type:
      # :role, principal_id: 50)` takes it away, as in OpenBao.

      # Stores (replaces) a permission; returns PolicyChanges: the policies
      # to write, and nil for the principal's policies to delete (the `api/`
      # one when `read_value` is revoked; OpenBao keeps granting it otherwise).
      def set_permission(permission, format: :hcl)
        PolicyChanges.from([_set_permission(permission, SecretsManager.json_format?(format)), nil])
      end

      # Removes a principal's permission (role 50 names the Owner default);
      # whether one was stored. `revoke_permission` also names its policies.
      def delete_permission(principal_type:, principal_id:)
        !revoke_permission(principal_type:, principal_id:).empty?
      end

      # Removes a principal's permission; returns PolicyChanges mapping each
      # of its policies to nil (delete them in OpenBao), empty when none was
      # stored.
      def revoke_permission(principal_type:, principal_id:)
        type = Permission::PRINCIPAL_TYPES.fetch(principal_type.to_s.to_sym) do
          raise InvalidRecord, "principal_type must be one of: User, Role, MemberRole"
        end
        PolicyChanges.from([_delete_permission(type, principal_id), nil])
      end

      # Adds or changes a secret (Secret or Hash); returns PolicyChanges.
      def upsert_secret(secret, format: :hcl)
        PolicyChanges.from(_upsert_secret(secret, SecretsManager.json_format?(format)))
      end

      # Deletes a secret; returns PolicyChanges (empty if it was unknown).
      def remove_secret(name, format: :hcl)
        PolicyChanges.from(_remove_secret(name.to_s, SecretsManager.json_format?(format)))
      end

      # May this person do `action` (:read/:read_metadata, :read_value,
      # :create, :update, :delete) to the secret? `user` is a Hash with
      # :user_id, :group_ids, :access_level (Integer or Symbol) and
      # :member_role_id.
      def user_can?(user, action, secret_name, now: nil)
        raise TypeError, "user must be a Hash" unless user.is_a?(Hash)

        level = user[:access_level]
        level = RBAC::ACCESS_LEVELS.fetch(level) { raise InvalidRecord, "unknown access level #{level.inspect}" } if
          level.is_a?(Symbol)
        _user_can(user.fetch(:user_id), Array(user[:group_ids]), level, user[:member_role_id],
                  action.to_s, secret_name, RBAC.unix(now))
      end

      # Sorted names of the secrets a job with these ID token claims may
      # read. The token must be for this project (PipelineGuard::OpenBao::AuthError otherwise).
      def pipeline_secrets(id_token_claims)
        _pipeline_secrets(id_token_claims)
      end

      # Every current pipeline policy: { name => document }.
      def ci_policies(format: :hcl)
        _ci_policies(SecretsManager.json_format?(format))
      end

      def _dump(_level)
        raise TypeError, "#{self.class} cannot be marshalled"
      end

      def initialize_copy(_other)
        raise TypeError, "#{self.class} cannot be copied"
      end
    end
  end
end
