# frozen_string_literal: true

# Runs the app's cron schedule in the foreground: rotation reminders every
# minute, as GitLab's cron runs its reminder workers. Needs a database the
# server shares (SECRETS_MANAGER_DATABASE_URL); with the default in-memory
# one, start the server with SECRETS_MANAGER_SCHEDULE=1 instead.
#
#   SECRETS_MANAGER_DATABASE_URL=sqlite3:db/app.sqlite3 ruby script/cron.rb
require_relative "../config/environment"

$stdout.sync = true
puts "rotation reminders: #{RotationReminderSchedule::CRON} (#{RotationReminderSchedule::JOBS.join(', ')})"
stop = false
%w[INT TERM].each { |signal| trap(signal) { stop = true } }
RotationReminderSchedule.new.run(stop: -> { stop }, sleeper: ->(seconds) { sleep([seconds, 1].min) })
