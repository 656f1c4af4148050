# frozen_string_literal: true

# GitLab's (Project|Group)SecretRotationInfo: the rotation reminder settings
# of one metadata version of a secret. Every update of a secret starts a
# new record, so an update counts as a rotation.
class SecretRotationInfo < ApplicationRecord
  MIN_ROTATION_DAYS = 7
  APPROACHING_THRESHOLD_DAYS = 7
  STATUSES = { overdue: "OVERDUE", approaching: "APPROACHING", ok: "OK" }.freeze

  belongs_to :project, optional: true
  belongs_to :group, optional: true
  has_many :reminders, class_name: "SecretRotationReminder", dependent: :delete_all

  validates :secret_name, presence: true, length: { maximum: 255 }
  validates :secret_metadata_version, presence: true
  validates :next_reminder_at, presence: true
  validates :rotation_interval_days, presence: true,
                                     numericality: { greater_than_or_equal_to: MIN_ROTATION_DAYS }

  scope :pending_reminders, -> { where(next_reminder_at: ..Time.current).order(next_reminder_at: :asc) }

  def owner = project || group

  # Creates or refreshes the record of this secret version; false when invalid.
  def upsert
    self.next_reminder_at = calculate_next_reminder_at
    return false unless valid?

    existing = self.class.find_by(project_id:, group_id:, secret_name:, secret_metadata_version:)
    if existing
      existing.update!(rotation_interval_days:, next_reminder_at:)
      self.id = existing.id
      reload
    else
      save!
    end
    true
  end

  def notification_sent!
    update!(last_reminder_at: Time.current, next_reminder_at: calculate_next_reminder_at)
  end

  # A reminder already went out: OVERDUE until the secret is updated.
  def status
    return STATUSES[:overdue] if last_reminder_at.present?
    return STATUSES[:approaching] if next_reminder_at <= APPROACHING_THRESHOLD_DAYS.days.from_now

    STATUSES[:ok]
  end

  def needs_attention? = status != STATUSES[:ok]

  private

  # The next midnight UTC plus the interval, as GitLab rounds it.
  def calculate_next_reminder_at
    return unless rotation_interval_days&.positive?

    Time.current.utc.beginning_of_day + 1.day + rotation_interval_days.days
  end
end
