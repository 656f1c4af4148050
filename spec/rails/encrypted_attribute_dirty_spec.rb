# frozen_string_literal: true

require_relative "active_record_helper"

# The plaintext attribute takes part in Active Record's dirty tracking, and
# `reload` forgets a value that was assigned but not saved.
RSpec.describe PipelineGuard::Rails::EncryptedAttribute, "dirty tracking" do
  let(:keyring) { PipelineGuard::Keyring.generate }
  let(:model) do
    kr = keyring
    Class.new(ActiveRecord::Base) do
      self.table_name = "vault_items"
      def self.name = "VaultItem"
      pipeline_guard_encrypts :value, keyring: kr, associated_data: %i[project_id name]
    end
  end
  let(:item) { model.find(model.create!(project_id: 1, name: "D", value: "old").id) }

  before { model.delete_all }

  it "forgets a pending value on reload, so a later unrelated save does not persist it" do
    item.value = "pending"
    item.reload
    expect(item.value).to eq("old")
    expect(item.value_changed?).to be(false)
    expect(item.changed?).to be(false)
    item.update!(project_id: 2)
    expect(model.find(item.id).value).to eq("old")
  end

  it "reports changes, changed?, <attr>_changed? and <attr>_was" do
    expect(item.changed?).to be(false)
    expect(item.value_was).to eq("old")
    item.value = "new"
    expect(item.changed?).to be(true)
    expect(item.value_changed?).to be(true)
    expect(item.value_was).to eq("old")
    expect(item.changes).to eq("value" => %w[old new])
    expect(item.changed).to eq(["value"])
  end

  it "treats assigning the stored value as no change" do
    item.value = "old"
    expect(item.changed?).to be(false)
    expect(item.value_changed?).to be(false)
  end

  it "restore_attributes drops the pending value" do
    item.value = "new"
    item.restore_attributes
    expect(item.value).to eq("old")
    expect(item.changed?).to be(false)
    item.update!(project_id: 3)
    expect(model.find(item.id).value).to eq("old")
  end

  it "clears the change once saved, and saves a nil assignment" do
    item.value = "new"
    item.save!
    expect(item.value_changed?).to be(false)
    expect(item.saved_change_to_value?).to be(true)
    expect(model.find(item.id).value).to eq("new")
    item.value = nil
    expect(item.changes).to eq("value" => ["new", nil])
    item.save!
    expect(model.find(item.id).value_ciphertext).to be_nil
  end

  it "keeps a pending plaintext out of inspect and serialization" do
    item.value = "pending-secret"
    expect(item.inspect).not_to include("pending-secret")
    expect(item.to_json).not_to include("pending-secret")
    expect(item.serializable_hash).not_to have_key("value")
    expect(item.attributes).not_to have_key("value")
  end
end
