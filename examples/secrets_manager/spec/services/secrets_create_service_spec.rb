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
end
