# frozen_string_literal: true

# Project-level abilities (GitLab's ProjectPolicy) from a native RBAC model
# built from the memberships table, and the GraphQL authorizer that also
# answers per-secret questions from the project's secrets model.
module Authz
  # Per-secret abilities handled by ProjectAccess, mapped to its actions.
  SECRET_ABILITIES = {
    read_secret: "read", update_secret: "update", delete_secret: "delete", create_secret: "create"
  }.freeze

  # GitLab 19.4's secrets-manager abilities: the gem's table, with listing
  # secrets permissions (read_project_secrets_manager for a project,
  # read_secrets_permission for a group) open to Maintainers; changing them
  # stays with Owners.
  MAINTAINER_ABILITIES = %w[read_project_secrets_manager read_secrets_permission].freeze

  class << self
    def roles
      @roles ||= PipelineGuard::RBAC::Model.default_roles["levels"].transform_values do |abilities|
        abilities - MAINTAINER_ABILITIES
      end.merge("maintainer" => MAINTAINER_ABILITIES)
    end

    def rbac
      @rbac ||= build_rbac
    end

    def reset!
      @rbac = nil
    end

    def can?(user, ability, project)
      return false if user.nil? || user.blocked

      rbac.can?(user.id, ability, project.full_path)
    end

    # May run pipelines (Developer or above).
    def developer?(user, project)
      return false if user.nil? || user.blocked

      rbac.max_access_level(user.id, project.full_path).to_i >= Membership::DEVELOPER
    end

    # The claims GitLab's user JWT carries for this user on this project.
    # No group ids: GitLab 19.4 writes no group grants (its user JWT's
    # `groups` is empty), so looking them up would decide nothing.
    def user_context(user, project, now: Time.now)
      {
        user_id: user.id,
        access_level: rbac.max_access_level(user.id, project.full_path, now: now.to_i),
        member_role_id: member_role_id(user, project, now)
      }
    end

    # user_context, computed once per GraphQL query (`context` is the
    # query's context or a Hash) for each project or group it asks about.
    def cached_user_context(context, user, owner)
      cache = (context[:authz_user_contexts] ||= {})
      cache[[user.id, owner.class.name, owner.id]] ||= user_context(user, owner)
    end

    private

    def build_rbac
      member_roles = MemberRole.all.map do |r|
        { id: r.id, base_access_level: r.base_access_level, abilities: r.abilities }
      end
      model = PipelineGuard::RBAC::Model.new(roles:, member_roles:)
      Membership.find_each do |m|
        model.add_membership(m.user_id, m.path, access_level: m.access_level,
                                                member_role_id: m.member_role_id, expires_at: m.expires_at&.to_i)
      end
      User.where(blocked: true).pluck(:id).each { |id| model.block_user(id) }
      model
    end

    def member_role_id(user, project, now)
      user.memberships.select { |m| m.member_role_id && m.active?(now) && covers?(m.path, project.full_path) }
          .max_by { |m| m.path.length }&.member_role_id
    end

    def covers?(path, full_path) = full_path == path || full_path.start_with?("#{path}/")
  end

  # The GraphQL authorizer: RBAC abilities on projects and groups
  # (subjects are Projects, Groups or paths) and per-secret abilities
  # (subjects are project Secrets or GroupSecrets), each answered natively;
  # lists go through one batch call per owner, answers in the subjects'
  # order.
  class GraphqlAuthorizer
    def initialize
      @rbac = PipelineGuard::GraphQL::RBACAuthorizer.new(-> { Authz.rbac })
    end

    def authorized?(context, ability, subject)
      authorized_many(context, ability, [subject]).first
    end

    def authorized_many(context, ability, subjects)
      user = context[:current_user]
      return Array.new(subjects.size, false) if user.nil?
      return @rbac.authorized_many(context, ability, subjects) unless SECRET_ABILITIES.key?(ability)

      in_order(subjects) { |owner, batch| answer(context, user, ability, owner, batch) }
    end

    private

    # Asks once per owner and puts the answers back in the subjects' order.
    # Subjects are grouped by their owner's id (no record loaded or hashed
    # per subject); the owner comes from the first of each group.
    def in_order(subjects)
      answers = Array.new(subjects.size)
      subjects.each_index.group_by { |i| owner_key(subjects[i]) }.each do |key, indexes|
        batch = indexes.map { |i| subjects[i] }
        allowed = yield(key == :rbac ? :rbac : owner_of(batch.first), batch)
        indexes.zip(allowed).each { |i, a| answers[i] = a ? true : false }
      end
      answers
    end

    def owner_key(subject)
      case subject
      when Secret then [:project, subject.project_id]
      when GroupSecret then [:group, subject.group_id]
      else :rbac
      end
    end

    # A secret's project or group.
    def owner_of(subject) = subject.is_a?(Secret) ? subject.project : subject.group

    def answer(context, user, ability, owner, batch)
      return @rbac.authorized_many(context, ability, batch) if owner == :rbac

      names = batch.map(&:name)
      user_context = Authz.cached_user_context(context, user, owner)
      return ProjectAccess.for(owner).user_can_many(user_context, SECRET_ABILITIES[ability], names) if
        owner.is_a?(Project)

      access = GroupAccess.for(owner)
      return access.user_can_many(user_context, SECRET_ABILITIES[ability], names) unless ability == :read_secret

      # Listed to whoever may LIST the group's secrets in OpenBao (19.4's
      # ListService reads through the person's token): every policy written
      # for a person has it, and a grant holds read_metadata or read_value.
      metadata = access.user_can_many(user_context, :read, names)
      values = access.user_can_many(user_context, :read_value, names)
      metadata.zip(values).map { |m, v| m || v }
    end
  end
end
