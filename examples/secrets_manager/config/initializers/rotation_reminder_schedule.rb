# frozen_string_literal: true

# The rotation reminder schedule inside the server process (see
# RotationReminderSchedule); `script/cron` runs it on its own instead.
Rails.application.config.after_initialize do
  RotationReminderSchedule.start if ENV["SECRETS_MANAGER_SCHEDULE"] == "1" && !Rails.env.test?
end
