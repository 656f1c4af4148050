# frozen_string_literal: true

# GitLab's SecretRotationReminderBatchWorker + SecretRotationBatchReminderService:
# for every rotation record whose reminder is due, reminds the owner's
# Owners (recorded in secret_rotation_reminders; GitLab e-mails them) and
# schedules the next reminder, which also makes the secret OVERDUE.
# Records no longer attached to an existing secret of an active secrets
# manager are deleted instead.
class SecretRotationReminderJob < ApplicationJob
  BATCH_SIZE = 100
  # GitLab 19.4's BaseSecretRotationReminderBatchWorker stops taking new
  # batches after 30 s; the next scheduled run (every minute) goes on.
  MAX_RUNTIME = 30.seconds

  queue_as :default

  # Returns the number of reminders sent (orphaned records cleaned up are
  # skipped, as GitLab counts them).
  def perform
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    processed = 0
    loop do
      batch = SecretRotationInfo.pending_reminders.limit(BATCH_SIZE).to_a
      batch.each { |info| orphaned?(info) ? info.destroy! : remind(info) }
      processed += batch.count(&:persisted?)
      break if batch.size < BATCH_SIZE
      break if Process.clock_gettime(Process::CLOCK_MONOTONIC) - started > MAX_RUNTIME
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
