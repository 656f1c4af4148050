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
    secrets.each do |s|
      @model.upsert_secret({ name: s[:name], environment: s[:environment], branch: "*", protected: s[:protected] })
    end
    ProjectAccess.apply_permissions(
      @model, GroupSecretsPermissionRecord.where(group_id: group.id,
                                                 principal_type: BaseSecretsPermission::VALID_PRINCIPAL_TYPES).to_a
    )
  end

  # One clock reading for the whole batch (whole seconds, as the model
  # reads it itself), so every name is judged at the same instant.
  def user_can_many(user_context, action, names)
    now = Time.now.to_i
    names.map { |n| @model.user_can?(user_context, action, n, now:) }
  end

  # Whether the person's OpenBao policies allow `action` on the path of a
  # secret of that name, whether or not it exists: OpenBao checks the ACL
  # before it looks the path up, so a refusal comes before "does not exist".
  # Group permissions cover every secret of the group, so one probe name
  # answers for any name.
  def self.policy_allows?(group, user_context, action, name = PROBE)
    probe = SecretRecord::NAME_FORMAT.match?(name.to_s) ? name : PROBE
    self.for(group, secrets: [{ name: probe, environment: "*", protected: false }])
        .user_can_many(user_context, action, [probe]).first
  end

  # What GitLab's ListService needs: OpenBao's LIST on the group's secrets,
  # which every policy written for a person carries (a grant always holds
  # read_metadata or read_value).
  def self.may_list?(group, user_context)
    access = self.for(group, secrets: [{ name: PROBE, environment: "*", protected: false }])
    %i[read read_value].any? { |action| access.user_can_many(user_context, action, [PROBE]).first }
  end

  # The `permit:` of the secrets services for a person and a group: refuses
  # with GitLab's "resource not available" error, as GitLab's
  # GraphqlErrorHandling turns OpenBao's permission denied into.
  def self.permit(group, user)
    user_context = Authz.user_context(user, group)
    lambda do |action, name|
      raise PipelineGuard::GraphQL::ResourceNotAvailable unless policy_allows?(group, user_context, action, name)
    end
  end

  PROBE = "PROBE"
end
