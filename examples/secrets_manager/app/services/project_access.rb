# frozen_string_literal: true

# The native secrets-manager model of one project (its secrets' scopes and
# its permissions), cached per project and rebuilt when either changes.
# Answers "may this person do X to secret Y" and "which secrets may this
# CI job read" without a round trip to OpenBao.
class ProjectAccess
  BUILT_IN_ROLES = [Membership::DEVELOPER, Membership::MAINTAINER, Membership::OWNER].freeze

  @cache = {}
  @lock = Mutex.new

  class << self
    # The cached model, unless the project's secrets access version moved
    # on: another process (a Puma worker, a replica) changed a secret or a
    # permission, and a stale model could still grant a revoked permission.
    # The version is read before the rows, so a model is never older than
    # the version it is cached under.
    def for(project)
      SecretsPermissions::DefaultRolePolicies.ensure!(project)
      version = Project.where(id: project.id).pick(:secrets_access_version).to_i
      cached = @lock.synchronize { @cache[project.id] }
      return cached if cached&.version == version

      built = new(project, version)
      @lock.synchronize { @cache[project.id] = built }
    end

    # Called inside the transaction of every change to a project's secrets
    # or permissions, so the new version commits with the change.
    def changed!(project_id)
      Project.where(id: project_id).update_all("secrets_access_version = secrets_access_version + 1")
      reset!(project_id)
    end

    def reset!(project_id = nil)
      @lock.synchronize { project_id ? @cache.delete(project_id) : @cache.clear }
    end
  end

  attr_reader :model, :version

  def initialize(project, version = 0)
    @version = version
    @model = PipelineGuard::SecretsManager::Project.new(project_id: project.id)
    Secret.where(project_id: project.id).find_each do |s|
      @model.upsert_secret({ name: s.name, environment: s.environment, branch: s.branch })
    end
    # GROUP principals no longer grant anything in 19.4.
    records = SecretsPermission.where(project_id: project.id,
                                      principal_type: BaseSecretsPermission::VALID_PRINCIPAL_TYPES)
    ProjectAccess.apply_permissions(@model, records.to_a)
  end

  # Role grants come from the stored permissions only (GitLab 19.4 writes
  # the Owner and Maintainer defaults at provisioning, see
  # SecretsPermissions::DefaultRolePolicies, and an Owner may delete them).
  # The gem starts from the same defaults; the Owner's (role 50) cannot be
  # granted, only kept or deleted, so it stays exactly while it is stored.
  def self.apply_permissions(model, records)
    current = records.reject(&:expired?)
    roles, others = current.partition { |p| p.principal_type == "Role" }
    (others + roles.reject { |p| p.principal_id == Membership::OWNER }).each { |p| model.set_permission(permission(p)) }
    (BUILT_IN_ROLES - roles.map(&:principal_id)).each do |level|
      model.delete_permission(principal_type: :role, principal_id: level)
    end
  end

  def self.permission(record)
    PipelineGuard::SecretsManager::Permission.new(
      principal_type: record.principal_type.underscore, principal_id: record.principal_id,
      actions: record.actions, expired_at: record.expired_at&.to_i
    )
  end

  # One clock reading for the whole batch (whole seconds, as the model
  # reads it itself), so every name is judged at the same instant.
  def user_can_many(user_context, action, names)
    now = Time.now.to_i
    names.map { |n| @model.user_can?(user_context, action, n, now:) }
  end

  def pipeline_secrets(claims) = @model.pipeline_secrets(claims)

  # Every current pipeline policy: { name => HCL }.
  def ci_policies = @model.ci_policies
end
