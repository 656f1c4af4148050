# frozen_string_literal: true

# The native secrets-manager model of one group (the gem's group model): its
# secrets' scopes and its 19.4 permissions (the Owner default and explicit
# USER / MEMBER_ROLE / ROLE grants). Answers "may this person do X to group
# secret Y" locally. Built per call: callers that check many secrets hold on
# to one instance.
class GroupAccess
  def self.for(group, secrets: group_secrets(group)) = new(group, secrets)

  # The group's stored secrets, when the app keeps group secrets.
  def self.group_secrets(group)
    return [] unless defined?(GroupSecret)

    GroupSecret.where(group_id: group.id).map do |s|
      { name: s.name, environment: s.environment, protected: s.protected }
    end
  end

  attr_reader :model

  def initialize(group, secrets)
    SecretsPermissions::DefaultRolePolicies.ensure!(group)
    @model = PipelineGuard::SecretsManager::Project.group(group_id: group.id)
    # Role grants come from the stored permissions only, as for projects.
    ProjectAccess::BUILT_IN_ROLES.each { |level| @model.delete_permission(principal_type: :role, principal_id: level) }
    secrets.each do |s|
      @model.upsert_secret({ name: s[:name], environment: s[:environment], branch: "*", protected: s[:protected] })
    end
    GroupSecretsPermissionRecord.where(group_id: group.id, principal_type: BaseSecretsPermission::VALID_PRINCIPAL_TYPES)
                                .find_each do |p|
      @model.set_permission(ProjectAccess.permission(p)) unless p.expired?
    end
  end

  def user_can_many(user_context, action, names)
    names.map { |n| @model.user_can?(user_context, action, n) }
  end
end
