# frozen_string_literal: true

RSpec.describe PipelineGuard::SecretsManager::Secret do
  it "takes its keywords natively (no Ruby wrapper passing them by position)" do
    expect(described_class.method(:new).source_location).to be_nil
    expect(described_class).not_to respond_to(:_new)
  end

  it "defaults, validates and freezes", :gc_stress do
    secret = described_class.new(name: "DB", protected: 1, description: "db password")
    expect(secret.to_h).to eq(name: "DB", environment: "*", branch: "*", protected: true, description: "db password")
    expect(secret).to be_frozen
    expect(described_class.new(name: "DB", environment: "prod", branch: "main", protected: nil).to_h)
      .to include(environment: "prod", branch: "main", protected: false)
  end

  it "refuses bad keywords and values with Ruby's errors" do
    expect { described_class.new }.to raise_error(ArgumentError, "missing keyword: :name")
    expect { described_class.new(name: "DB", scope: "x") }.to raise_error(ArgumentError, "unknown keyword: :scope")
    expect { described_class.new("DB") }.to raise_error(ArgumentError)
    expect { described_class.new(name: "DB", environment: nil) }.to raise_error(TypeError)
    expect { described_class.new(name: "a-b") }.to raise_error(PipelineGuard::SecretsManager::InvalidRecord)
  end
end
