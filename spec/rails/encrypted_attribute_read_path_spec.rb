# frozen_string_literal: true

require_relative "active_record_helper"

ActiveRecord::Schema.define do
  %i[read_path_items read_path_others].each do |table|
    create_table table, force: true do |t|
      t.string :name
      t.string :label
      t.text :value_ciphertext
    end
  end
end

# The per-record work of an encrypted attribute: the associated data bytes
# (built from cached table and attribute fields) and the legacy binding,
# which is built only when the current one does not decrypt.
RSpec.describe PipelineGuard::Rails::EncryptedAttribute, "read path" do
  let(:keyring) { PipelineGuard::Keyring.generate }
  let(:model) do
    kr = keyring
    Class.new(ActiveRecord::Base) do
      self.table_name = "read_path_items"
      def self.name = "ReadPathItem"
      pipeline_guard_encrypts :value, keyring: kr, associated_data: %i[name label]
    end
  end
  let(:spec) { model.pipeline_guard_encrypted[:value] }

  # The documented encoding, written out independently.
  def field(value)
    return "\0".b if value.nil?

    bytes = value.to_s.b
    "\1".b + [bytes.bytesize].pack("N") + bytes
  end

  def expected_aad(table, name, label)
    PipelineGuard::Rails::AAD_V2 + [table, "value", "name", name, "label", label].map { |f| field(f) }.join
  end

  it "encodes nil, ASCII and non-ASCII values, and follows a changed table name" do
    item = model.new(name: "Zürich \u00e9", label: nil)
    2.times { expect(spec.aad_for(item)).to eq(expected_aad("read_path_items", "Zürich \u00e9", nil)) }
    item.label = "ascii"
    expect(spec.aad_for(item)).to eq(expected_aad("read_path_items", "Zürich \u00e9", "ascii"))
    expect(spec.aad_for(item).encoding).to eq(Encoding::BINARY)
    renamed = Class.new(model) { self.table_name = "read_path_others" }
    expect(spec.aad_for(renamed.new(name: "a", label: "b"))).to eq(expected_aad("read_path_others", "a", "b"))
    expect(spec.aad_for(item)).to eq(expected_aad("read_path_items", "Zürich \u00e9", "ascii"))
  end

  it "never hands out the cached bytes themselves" do
    item = model.new(name: "a", label: "b")
    spec.aad_for(item) << "tampered"
    expect(spec.aad_for(item)).to eq(expected_aad("read_path_items", "a", "b"))
  end

  it "builds the legacy binding only when the current one fails" do
    item = model.create!(name: "n", label: "l", value: "current")
    allow(spec).to receive(:legacy_aad_for).and_call_original
    expect(model.find(item.id).value).to eq("current")
    expect(spec).not_to have_received(:legacy_aad_for)

    legacy = keyring.encrypt("old", associated_data: ["read_path_items", "value", "name=n", "label=l"].join("\0"))
    item.update_columns(value_ciphertext: legacy)
    expect(model.find(item.id).value).to eq("old")
    expect(spec).to have_received(:legacy_aad_for).once
  end

  it "raises the current binding's error when neither binding decrypts" do
    item = model.create!(name: "n", label: "l", value: "v")
    item.update_columns(value_ciphertext: keyring.encrypt("v", associated_data: "something else"))
    expect { model.find(item.id).value }.to raise_error(PipelineGuard::DecryptionError)
  end
end
