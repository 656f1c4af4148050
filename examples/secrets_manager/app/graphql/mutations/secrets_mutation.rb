# frozen_string_literal: true

module Mutations
  # Base of the secrets-manager mutations: GitLab's RequiresActiveNamespace
  # and ErrorMessagesHelpers, and group abilities answered by the RBAC
  # model directly (GitLab's `authorize` on the group: Reporters and above
  # for the secret abilities). What the person's own OpenBao policies allow
  # is checked by the services' `permit:` (GroupAccess.permit).
  class SecretsMutation < BaseMutation
    PROJECT_INACTIVE_ERROR = "You cannot perform write operations on an archived project or a project pending deletion."
    GROUP_INACTIVE_ERROR = "You cannot perform write operations on an archived group or a group pending deletion."

    private

    def unavailable!(message = PipelineGuard::GraphQL::ResourceNotAvailable::MESSAGE)
      raise PipelineGuard::GraphQL::ResourceNotAvailable, message
    end

    def authorized_group!(group_path, ability)
      group = Group.find_by(full_path: group_path)
      unavailable! unless group && Authz.can?(current_user, ability, group)
      group
    end

    def raise_if_namespace_inactive!(owner)
      if owner.is_a?(Group)
        unavailable!(GROUP_INACTIVE_ERROR) unless owner.active?
      else
        unavailable!(PROJECT_INACTIVE_ERROR) unless owner.self_and_ancestors_active?
      end
    end

    # The payload of a secrets service result: `not_found` becomes a
    # top-level error, other failures the payload's `errors`.
    def payload(key, result)
      return { key => result.secret, errors: [] } if result.success?

      if result.reason == :not_found
        unavailable!("#{key.to_s.start_with?('group') ? 'Group' : 'Project'} secret does not exist.")
      end

      { key => nil, errors: result.error_messages }
    end
  end
end
