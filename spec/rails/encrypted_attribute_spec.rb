# frozen_string_literal: true

require_relative "active_record_helper"

RSpec.describe PipelineGuard::Rails::EncryptedAttribute do
  let(:keyring) { PipelineGuard::Keyring.generate }
  let(:model) do
    kr = keyring
    Class.new(ActiveRecord::Base) do
      self.table_name = "vault_items"
      def self.name = "VaultItem"
      pipeline_guard_encrypts :value, keyring: -> { kr }, associated_data: %i[project_id name]
      pipeline_guard_encrypts :note, keyring: kr
    end
  end

  before { model.delete_all }

  it "stores a transit ciphertext and reads the plaintext back", :gc_stress do
    item = model.create!(project_id: 1, name: "DB", value: "s3cr3t", note: "n")
    expect(item.value_ciphertext).to start_with("vault:v1:")
    expect(item.value_ciphertext).not_to include("s3cr3t")
    reloaded = model.find(item.id)
    expect(reloaded.value).to eq("s3cr3t")
    expect(reloaded.value.encoding).to eq(Encoding::UTF_8)
    expect(reloaded.note).to eq("n")
  end

  it "encrypts at save time, so attributes assigned after the value still bind" do
    item = model.new(value: "x")
    item.name = "LATE"
    item.project_id = 9
    item.save!
    expect(model.find(item.id).value).to eq("x")
  end

  it "binds the ciphertext to the record: a copy into another record does not decrypt" do
    a = model.create!(project_id: 1, name: "A", value: "alpha")
    b = model.create!(project_id: 1, name: "B", value: "beta")
    b.update_columns(value_ciphertext: a.value_ciphertext)
    expect { model.find(b.id).value }.to raise_error(PipelineGuard::DecryptionError)
  end

  it "binds to the table and column: a copy into another column does not decrypt" do
    a = model.create!(project_id: 1, name: "A", value: "alpha", note: "n")
    a.update_columns(note_ciphertext: a.value_ciphertext)
    expect { model.find(a.id).note }.to raise_error(PipelineGuard::DecryptionError)
  end

  it "re-encrypts when a bound attribute changes" do
    item = model.create!(project_id: 1, name: "OLD", value: "v")
    before = item.value_ciphertext
    item.update!(name: "NEW")
    expect(item.value_ciphertext).not_to eq(before)
    expect(model.find(item.id).value).to eq("v")
  end

  it "handles nil and tracks pending changes" do
    item = model.create!(project_id: 1, name: "N", value: nil)
    expect(item.value_ciphertext).to be_nil
    expect(item.value).to be_nil
    item.value = "later"
    expect(item.value_changed?).to be(true)
    expect(item.value).to eq("later")
    item.save!
    expect(item.value_changed?).to be(false)
  end

  it "rotates: rewrap moves every row to the latest key version" do
    items = Array.new(3) { |i| model.create!(project_id: 1, name: "S#{i}", value: "v#{i}", note: "n#{i}") }
    keyring.rotate!
    expect(items.first.value_key_version).to eq(1)
    expect(model.pipeline_guard_rewrap!(batch_size: 2)).to eq(3)
    model.find_each do |item|
      expect(item.value_key_version).to eq(2)
      expect(item.value_ciphertext).to start_with("vault:v2:")
      expect(item.note_ciphertext).to start_with("vault:v2:")
    end
    expect(model.order(:id).map(&:value)).to eq(%w[v0 v1 v2])
    expect(model.pipeline_guard_rewrap!).to eq(0)
  end

  it "never shows the plaintext in inspect" do
    item = model.create!(project_id: 1, name: "I", value: "topsecret")
    expect(item.inspect).not_to include("topsecret")
  end

  it "emits encrypt and decrypt events without values" do
    events = []
    sub = PipelineGuard::Rails::Notifications.subscribe do |*args|
      events << ActiveSupport::Notifications::Event.new(*args)
    end
    item = model.create!(project_id: 1, name: "E", value: "quiet")
    model.find(item.id).value
    names = events.map(&:name)
    expect(names).to include("encrypt.pipeline_guard", "decrypt.pipeline_guard")
    expect(events.map(&:payload).inspect).not_to include("quiet")
    expect(events.first.payload).to include(model: "VaultItem", attribute: :value)
  ensure
    ActiveSupport::Notifications.unsubscribe(sub)
  end

  it "is safe across threads" do
    item = model.create!(project_id: 1, name: "T", value: "shared")
    ct = item.value_ciphertext
    aad = model.pipeline_guard_encrypted[:value].aad_for(item)
    results = Array.new(4) do
      Thread.new { Array.new(50) { keyring.decrypt(ct, associated_data: aad) } }
    end.flat_map(&:value)
    expect(results.uniq).to eq(["shared"])
  end
end
