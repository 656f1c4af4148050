# frozen_string_literal: true

# GitLab runs its rotation reminder workers from cron, every minute; the
# app's schedule does the same with SecretRotationReminderJob.
RSpec.describe RotationReminderSchedule do
  let(:owner) { user_with(50) }

  def with_test_adapter
    adapter = ActiveJob::QueueAdapters::TestAdapter.new
    previous = SecretRotationReminderJob.queue_adapter
    SecretRotationReminderJob.queue_adapter = adapter
    yield adapter
  ensure
    SecretRotationReminderJob.queue_adapter = previous
  end

  def due_secret(name)
    enable_secrets_manager!(project)
    travel_to(Time.utc(2026, 3, 10, 22, 0, 0))
    result = Secrets::CreateService.new(project, owner).execute(name:, value: "v", environment: "*", branch: "*",
                                                                rotation_interval_days: 7)
    expect(result).to be_success
    travel_to(Time.utc(2026, 3, 18, 0, 0, 30)) # the reminder fell due at midnight
  end

  it "enqueues the reminder job once for every minute, as GitLab's cron does" do
    expect(described_class::CRON).to eq("* * * * *")
    with_test_adapter do |adapter|
      schedule = described_class.new
      at = Time.utc(2026, 3, 12, 9, 30, 5)
      expect(schedule.tick(at)).to be(true)
      expect(schedule.tick(at + 50)).to be(false) # same minute
      expect(schedule.tick(at - 60)).to be(false) # the clock went back
      expect(schedule.tick(at + 55)).to be(true)
      expect(adapter.enqueued_jobs.map { |j| j[:job] }).to eq([SecretRotationReminderJob] * 2)
    end
  end

  it "runs until stopped, sleeping to the next minute boundary" do
    with_test_adapter do |adapter|
      travel_to(Time.utc(2026, 3, 12, 9, 30, 15))
      naps = []
      sleeper = lambda do |seconds|
        naps << seconds
        travel(seconds)
      end
      described_class.new.run(stop: -> { naps.size == 3 }, sleeper:)
      expect(naps).to eq([45, 60, 60])
      expect(adapter.enqueued_jobs.size).to eq(3)
    end
  end

  it "sends the reminders that fell due when the job runs" do
    due_secret("API_KEY")
    expect { described_class.new.tick }.to change(SecretRotationReminder, :count).from(0).to(1)
    info = SecretRotationInfo.find_by!(secret_name: "API_KEY")
    expect(info.last_reminder_at).to eq(Time.current)
    expect(SecretRotationReminder.last.user).to eq(owner)
    expect { described_class.new.tick(1.minute.from_now) }.not_to change(SecretRotationReminder, :count)
  end

  it "takes a job's batches until none is left or 30 s went by, as GitLab's worker does" do
    due_secret("API_KEY")
    info = SecretRotationInfo.find_by!(secret_name: "API_KEY")
    expect(SecretRotationReminderJob::MAX_RUNTIME).to eq(30.seconds)
    stub_const("SecretRotationReminderJob::BATCH_SIZE", 1)
    stub_const("SecretRotationReminderJob::MAX_RUNTIME", -1) # over time after the first batch
    second = info.dup.tap { |i| i.update!(secret_name: "OTHER") } # orphaned: no such secret
    expect(SecretRotationReminderJob.perform_now).to eq(1)
    expect(SecretRotationInfo.exists?(second.id)).to be(true) # left for the next run
    expect(SecretRotationReminderJob.perform_now).to eq(0) # the orphan is cleaned up, not counted
    expect(SecretRotationInfo.exists?(second.id)).to be(false)
  end
end
