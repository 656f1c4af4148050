# frozen_string_literal: true

# GitLab's SecretRotationReminderBatchWorker + SecretRotationBatchReminderService:
# for every rotation record whose reminder is due, reminds the owner's
# Owners (recorded in secret_rotation_reminders; GitLab e-mails them) and
# schedules the next reminder, which also makes the secret OVERDUE.
# Records no longer attached to an existing secret of an active secrets
# manager are deleted instead.
class SecretRotationReminderJob < ApplicationJob
  BATCH_SIZE = 100

  queue_as :default

  def perform
    processed = 0
    loop do
      batch = SecretRotationInfo.pending_reminders.limit(BATCH_SIZE).to_a
      batch.each { |info| orphaned?(info) ? info.destroy! : remind(info) }
      processed += batch.size
      break if batch.size < BATCH_SIZE
    end
    processed
  end

  private

  def orphaned?(info)
    owner = info.owner
    return true unless owner&.secrets_manager&.active?

    owner.secret_records.find_by(name: info.secret_name)&.secret_rotation_info_id != info.id
  end

  def remind(info)
    now = Time.current
    owners(info.owner).each { |user| info.reminders.create!(user:, sent_at: now) }
    info.notification_sent!
  end

  # Members with the Owner role on the project or group (directly or
  # through a parent group), not blocked.
  def owners(owner)
    User.where(blocked: false).select do |user|
      Authz.rbac.max_access_level(user.id, owner.full_path).to_i >= Membership::OWNER
    end
  end
end
