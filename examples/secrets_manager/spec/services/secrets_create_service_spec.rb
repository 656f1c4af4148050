# frozen_string_literal: true

RSpec.describe Secrets::CreateService do
  before { enable_secrets_manager!(project) }

  it "never writes a value under a name another create took in between (the check-then-insert race)" do
    seed_secret("DB", value: "original")
    allow(project).to receive(:secret_records).and_wrap_original do |original|
      original.call.tap { |relation| allow(relation).to receive(:exists?).and_return(false) }
    end
    expect(SecretStore.current).not_to receive(:write)

    result = described_class.new(project).execute(name: "DB", value: "intruder", environment: "*", branch: "*")
    expect(result.error_messages).to eq(["Secret already exists.", "Secret already exists."])
    expect(project.secrets.find_by!(name: "DB").value).to eq("original")
  end

  it "lets only one of two concurrent creates take the last place under the limit" do
    now = Time.current
    Secret.insert_all!(Array.new(99) do |i|
      { project_id: project.id, name: "S#{i}", environment: "*", branch: "*", created_at: now, updated_at: now }
    end)
    allow_any_instance_of(Secret).to receive(:valid?).and_wrap_original do |original, *args|
      sleep 0.2 # widen the window between the limit check and the insert
      original.call(*args)
    end
    pool = ActiveRecord::Base.connection_pool
    pool.lock_thread = true # the threads share this example's in-memory database
    results = %w[A B].map do |name|
      Thread.new { described_class.new(project).execute(name:, value: "v", environment: "*", branch: "*") }
    end.map(&:value)
    expect(results.count(&:success?)).to eq(1)
    expect(results.reject(&:success?).map(&:reason)).to eq([:secrets_limit_exceeded])
    expect(project.secrets.count).to eq(100)
  ensure
    pool&.lock_thread = false
  end
end
