# frozen_string_literal: true

module Resolvers
  # Base of the secrets-manager query resolvers. Abilities are checked by the
  # field's PipelineGuard::GraphQL::Authorize extension before `resolve`;
  # what GitLab's services refuse afterwards (an inactive secrets manager,
  # a missing secret) is raised as its "resource not available" error with
  # GitLab's text.
  class SecretsResolver < GraphQL::Schema::Resolver
    private

    def unavailable!(message = PipelineGuard::GraphQL::ResourceNotAvailable::MESSAGE)
      raise PipelineGuard::GraphQL::ResourceNotAvailable, message
    end

    def project!(path) = Project.find_by(full_path: path) || unavailable!
    def group!(path) = Group.find_by(full_path: path) || unavailable!

    def active!(owner)
      unavailable!(SecretsManagers::INACTIVE) unless owner.secrets_manager&.active?
    end

    # GitLab 19.4 lists a group's secrets through the person's own OpenBao
    # token: without a policy the LIST is refused, and GraphqlErrorHandling
    # answers "resource not available".
    def group_list!(group)
      active!(group)
      unavailable! unless GroupAccess.may_list?(group,
                                                Authz.cached_user_context(context, context[:current_user], group))
    end

    def list(owner) = owner.secret_records.includes(:rotation_info).order(:name).to_a

    # GitLab's ListNeedingRotationServiceHelpers: OVERDUE first, oldest
    # rotation record first; then APPROACHING, earliest reminder first.
    def needing_rotation(owner)
      list(owner).select { |s| s.rotation_info&.needs_attention? }.sort_by do |s|
        info = s.rotation_info
        info.status == SecretRotationInfo::STATUSES[:overdue] ? [0, info.created_at] : [1, info.next_reminder_at]
      end
    end

    def read(owner, name, permit: nil)
      result = Secrets::ReadService.new(owner, context[:current_user], permit:).execute(name)
      result.success? ? result.secret : unavailable!(result.message)
    end
  end
end
