# frozen_string_literal: true

require "time"

# GitLab 19.4's SecretsManagement::BaseSecretsPermission: one principal's
# permission on the secrets of a project or group, validated with GitLab's
# rules and texts. Principals are USER (a member with at least Reporter who
# is not an Owner), MEMBER_ROLE (of the resource's namespace or above) and
# ROLE (Reporter, Developer or Maintainer); GROUP is gone. Actions: at least
# one of read, read_metadata, read_value; write; delete. The OpenBao policy
# documents come from the pipeline_guard gem.
class BaseSecretsPermission
  include ActiveModel::Model
  include ActiveModel::Attributes
  include ActiveModel::Validations

  PRINCIPAL_TYPES = { user: "User", role: "Role", member_role: "MemberRole" }.freeze
  ACTIONS = { read: "read", read_metadata: "read_metadata", read_value: "read_value", write: "write",
              delete: "delete" }.freeze
  METADATA_READ_ACTIONS = %w[read read_metadata].freeze
  VALID_PRINCIPAL_TYPES = PRINCIPAL_TYPES.values.freeze
  VALID_ACTIONS = ACTIONS.values.freeze
  # Gitlab::Access.sym_options without guest and planner: owner is not one.
  VALID_ROLES = { reporter: 20, developer: 30, maintainer: 40 }.freeze
  MINIMUM_ACCESS_LEVEL = Membership::REPORTER

  attribute :resource
  attribute :principal_id, :integer
  attribute :principal_type, :string
  attribute :actions
  attribute :granted_by, :integer
  attribute :expired_at, :string

  validates :resource, presence: true
  validates :principal_id, :principal_type, presence: true
  validates :actions, presence: true
  validate :validate_principal_types, :validate_actions, :validate_role_id
  with_options if: :resource do
    validate :valid_principal
  end
  validate :validate_expired_at
  validate :ensure_active_secrets_manager

  def normalized_expired_at
    return if expired_at.blank?

    expired_at_to_time.to_s
  end

  # The gem's permission, which renders the OpenBao policies and answers
  # checks. Call only on a valid permission.
  def to_pipeline_guard
    PipelineGuard::SecretsManager::Permission.new(
      principal_type: principal_type.underscore, principal_id:, actions: Array(actions),
      expired_at: normalized_expired_at, granted_by:
    )
  end

  def expired?(now = Time.now)
    return false if expired_at.blank?

    time = expired_at_to_time
    time.present? && now >= Time.iso8601(time)
  end

  # Loads the users a list of permissions names (principals and granters)
  # in one query, so showing the list costs no query per row.
  def self.preload_users(permissions)
    ids = permissions.flat_map { |p| [(p.principal_id if p.principal_type == "User"), p.granted_by] }.compact.uniq
    found = ids.empty? ? {} : User.where(id: ids).index_by(&:id)
    users = ids.to_h { |id| [id, found[id]] }
    permissions.each { |p| p.preloaded_users = users }
  end

  attr_writer :preloaded_users

  def principal_user = (user_by_id(principal_id) if principal_type == "User")
  def granted_by_user = (user_by_id(granted_by) if granted_by)

  # Actions as GitLab reads them back from the policies: read (for
  # read/read_metadata), write, delete, read_value, in that order. The
  # update mutation answers with the actions as given.
  def normalized_actions
    given = Array(actions)
    out = []
    out << "read" if given.intersect?(METADATA_READ_ACTIONS)
    out << "write" if given.include?("write")
    out << "delete" if given.include?("delete")
    out << "read_value" if given.include?("read_value")
    out
  end

  private

  def validate_principal_types
    return if VALID_PRINCIPAL_TYPES.include?(principal_type)

    errors.add(:principal_type, "must be one of: #{VALID_PRINCIPAL_TYPES.join(', ')}")
  end

  def validate_actions
    unless Array(actions).intersect?(METADATA_READ_ACTIONS) || Array(actions).include?(ACTIONS[:read_value])
      errors.add(:actions, "must include read, read_metadata, or read_value")
    end

    Array(actions).each do |action|
      errors.add(:actions, "contains invalid action: #{action}") unless VALID_ACTIONS.include?(action)
    end
  end

  def validate_role_id
    return unless principal_type == "Role" && VALID_ROLES.values.exclude?(principal_id)

    errors.add(:principal_id, "must be one of: #{VALID_ROLES.map { |name, value| "#{name} (#{value})" }.join(', ')}")
  end

  def expired_at_to_time
    Time.zone.parse(expired_at)&.utc&.iso8601
  rescue ArgumentError
    nil
  end

  def validate_expired_at
    return if expired_at.blank?
    return errors.add(:expired_at, "invalid time format, must be RFC3339 (e.g., 2025-09-01T00:00:00Z)") unless
      expired_at_to_time

    errors.add(:expired_at, "must be in the future") if expired?
  end

  def valid_principal
    case principal_type
    when "User" then valid_user
    when "MemberRole" then valid_member_role
    end
  end

  def valid_user
    user = User.find_by(id: principal_id)
    return errors.add(:principal_id, "user does not exist") if user.nil?

    level = Authz.rbac.max_access_level(user.id, resource.full_path).to_i
    return errors.add(:principal_id, "user is not a member of the #{resource_type.downcase}") if level.zero?

    errors.add(:principal_id, "user must not be Owner") if level == Membership::OWNER
    errors.add(:principal_id, "user must have at least Reporter role") if level < MINIMUM_ACCESS_LEVEL
  end

  def valid_member_role
    member_role = MemberRole.find_by(id: principal_id)
    return errors.add(:principal_id, "Member Role does not exist") if member_role.nil?
    return if member_role_has_access_to_resource?(member_role)

    errors.add(:principal_id, "Member Role does not have access to this #{resource_type.downcase}")
  end

  def ensure_active_secrets_manager
    errors.add(:base, "#{resource_type} secrets manager is not active.") unless
      resource && SecretsManagerStatus.active?(resource)
  end

  # From preload_users when it covered this id (nil: no such user).
  def user_by_id(id)
    return @preloaded_users[id] if @preloaded_users&.key?(id)

    User.find_by(id:)
  end

  def resource_type = raise(NotImplementedError)
  def member_role_has_access_to_resource?(_member_role) = raise(NotImplementedError)
end
