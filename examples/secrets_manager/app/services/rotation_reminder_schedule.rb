# frozen_string_literal: true

# GitLab runs its secret rotation reminder workers from cron (Sidekiq-cron,
# `Settings.cron_jobs` in config/initializers/1_settings.rb: every minute,
# "* * * * *"). This is that schedule for the app: `tick` enqueues
# SecretRotationReminderJob once per new minute, `run` ticks at every
# minute boundary until stopped. Run it in the foreground with `script/cron`,
# or in the server process with SECRETS_MANAGER_SCHEDULE=1 (needed with the
# default in-memory database, which no other process can see).
class RotationReminderSchedule
  CRON = "* * * * *"
  JOBS = [SecretRotationReminderJob].freeze

  def initialize(jobs: JOBS)
    @jobs = jobs
    @last_minute = nil
  end

  # Enqueues the jobs when `now` lies in a minute not yet served; returns
  # whether it did. A clock that goes back never enqueues twice for a minute.
  def tick(now = Time.current)
    minute = now.utc.beginning_of_minute
    return false if @last_minute && minute <= @last_minute

    @last_minute = minute
    @jobs.each(&:perform_later)
    true
  end

  # Ticks now and then at each minute boundary until `stop` answers true.
  def run(stop: -> { false }, sleeper: ->(seconds) { sleep(seconds) })
    until stop.call
      now = Time.current
      tick(now)
      sleeper.call(now.utc.beginning_of_minute + 60 - now.utc)
    end
  end

  # The in-process scheduler: one daemon thread, errors logged, never fatal.
  def self.start
    Thread.new do
      Thread.current.name = "rotation-reminder-schedule"
      schedule = new
      begin
        schedule.run
      rescue StandardError => e
        Rails.logger.error("rotation reminder schedule: #{e.class}: #{e.message}")
        sleep 60
        retry
      end
    end
  end
end
