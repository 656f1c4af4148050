# frozen_string_literal: true

# What project and group secrets share, as GitLab's BaseSecret and
# SecretStatus have it: name and environment validations with GitLab's
# texts, and the lifecycle `status` computed from the two-phase write
# timestamps (a phase left unfinished for 30 s is STALE).
module SecretRecord
  extend ActiveSupport::Concern

  NAME_FORMAT = /\A[a-zA-Z0-9_]+\z/
  NAME_FORMAT_MESSAGE = "can contain only letters, digits and '_'."
  MAX_VALUE_BYTES = 10_000
  VALUE_TOO_LONG = "Length of secret value exceeds allowed limits (10k bytes)."
  STALE_THRESHOLD = 30.seconds

  STATUSES = {
    completed: "COMPLETED", create_stale: "CREATE_STALE", update_stale: "UPDATE_STALE",
    create_in_progress: "CREATE_IN_PROGRESS", update_in_progress: "UPDATE_IN_PROGRESS"
  }.freeze

  included do
    belongs_to :rotation_info, class_name: "SecretRotationInfo", foreign_key: :secret_rotation_info_id,
                               optional: true, inverse_of: false

    validates :name, presence: true, length: { maximum: 255 },
                     format: { with: NAME_FORMAT, message: NAME_FORMAT_MESSAGE }
    validates :environment, presence: true
  end

  def status
    update_status || create_status
  end

  # GitLab refuses to update a secret whose last write did not finish.
  def valid_for_update?
    return false unless valid?

    message = {
      STATUSES[:create_in_progress] => "Secret create in progress.",
      STATUSES[:create_stale] => "Secret creation did not complete and is now stale.",
      STATUSES[:update_stale] => "Secret update did not complete and is now stale.",
      STATUSES[:update_in_progress] => "Secret update in progress."
    }[status]
    errors.add(:base, message) if message
    errors.empty?
  end

  # When creation started (GitLab's `createdAt`).
  def created_at_for_api = create_started_at

  private

  def update_status
    return unless update_started_at || update_completed_at
    return STATUSES[:completed] if update_completed_at
    return STATUSES[:update_in_progress] if recent?(update_started_at)

    STATUSES[:update_stale]
  end

  def create_status
    return STATUSES[:completed] unless create_started_at && create_completed_at.nil?

    recent?(create_started_at) ? STATUSES[:create_in_progress] : STATUSES[:create_stale]
  end

  def recent?(time) = time > STALE_THRESHOLD.ago
end
