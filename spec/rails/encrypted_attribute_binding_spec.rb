# frozen_string_literal: true

require_relative "active_record_helper"

ActiveRecord::Schema.define do
  create_table :bound_items, force: true do |t|
    t.string :name
    t.string :label
    t.text :value_ciphertext
  end
end

# How a ciphertext is bound to its record (the associated data), and what a
# convergent keyring may do there.
RSpec.describe PipelineGuard::Rails::EncryptedAttribute, "associated data" do
  let(:keyring) { PipelineGuard::Keyring.generate }
  let(:options) { {} }
  let(:model) do
    kr = keyring
    opts = options
    Class.new(ActiveRecord::Base) do
      self.table_name = "bound_items"
      def self.name = "BoundItem"
      pipeline_guard_encrypts :value, keyring: kr, associated_data: %i[name label], **opts
    end
  end

  # What versions before the length-prefixed format bound: NUL-joined
  # "attr=value" strings.
  def legacy_aad(name, label)
    ["bound_items", "value", "name=#{name}", "label=#{label}"].join("\0")
  end

  def swap(from, to)
    to.update_columns(value_ciphertext: from.value_ciphertext)
    model.find(to.id)
  end

  before { ActiveRecord::Base.connection.execute("DELETE FROM bound_items") }

  it "tells nil from an empty string" do
    a = model.create!(name: "n", label: nil, value: "alpha")
    b = model.create!(name: "n", label: "", value: "beta")
    expect { swap(a, b).value }.to raise_error(PipelineGuard::DecryptionError)
  end

  it "tells values apart whatever bytes they contain" do
    a = model.create!(name: "a\0label=b", label: "", value: "alpha")
    b = model.create!(name: "a", label: "b\0label=", value: "beta")
    expect(legacy_aad(a.name, a.label)).to eq(legacy_aad(b.name, b.label))
    expect { swap(a, b).value }.to raise_error(PipelineGuard::DecryptionError)
  end

  it "still reads values written with the legacy encoding, and rewrap! moves them to the new one" do
    item = model.create!(name: "L", label: "x")
    legacy = keyring.encrypt("old", associated_data: legacy_aad("L", "x"))
    item.update_columns(value_ciphertext: legacy)
    expect(model.find(item.id).value).to eq("old")
    expect(model.pipeline_guard_rewrap!).to eq(1)
    upgraded = model.find(item.id)
    expect(upgraded.value).to eq("old")
    expect { keyring.decrypt(upgraded.value_ciphertext, associated_data: legacy_aad("L", "x")) }
      .to raise_error(PipelineGuard::DecryptionError)
    expect(model.pipeline_guard_rewrap!).to eq(0)
  end

  it "re-encrypts a legacy value in the new encoding when a bound attribute changes" do
    item = model.create!(name: "L", label: "x")
    item.update_columns(value_ciphertext: keyring.encrypt("old", associated_data: legacy_aad("L", "x")))
    item = model.find(item.id)
    item.update!(label: "y")
    expect(model.find(item.id).value).to eq("old")
    expect { keyring.decrypt(item.value_ciphertext, associated_data: legacy_aad("L", "y")) }
      .to raise_error(PipelineGuard::DecryptionError)
  end

  it "still reads legacy values bound only to the table and attribute" do
    kr = keyring
    klass = Class.new(ActiveRecord::Base) do
      self.table_name = "bound_items"
      def self.name = "BoundItem"
      pipeline_guard_encrypts :value, keyring: kr
    end
    item = klass.create!(name: "x")
    item.update_columns(value_ciphertext: keyring.encrypt("old", associated_data: "bound_items\0value"))
    expect(klass.find(item.id).value).to eq("old")
    expect(klass.pipeline_guard_rewrap!).to eq(1)
    expect(klass.find(item.id).value).to eq("old")
    expect(klass.pipeline_guard_rewrap!).to eq(0)
  end

  context "with legacy_associated_data: false" do
    let(:options) { { legacy_associated_data: false } }

    it "refuses values written with the legacy encoding" do
      item = model.create!(name: "L", label: "x")
      item.update_columns(value_ciphertext: keyring.encrypt("old", associated_data: legacy_aad("L", "x")))
      expect { model.find(item.id).value }.to raise_error(PipelineGuard::DecryptionError)
    end
  end

  describe "with a convergent keyring" do
    let(:keyring) { PipelineGuard::Keyring.generate(derived: true, convergent: true) }

    it "is refused when the ciphertext would be bound to associated data" do
      kr = keyring
      expect do
        Class.new(ActiveRecord::Base) do
          self.table_name = "bound_items"
          pipeline_guard_encrypts :value, keyring: kr, context: "c"
        end
      end.to raise_error(PipelineGuard::InvalidInput, /convergent.*associated_data: false/m)
    end

    it "is refused at save time when the keyring comes from a Proc" do
      kr = keyring
      klass = Class.new(ActiveRecord::Base) do
        self.table_name = "bound_items"
        def self.name = "BoundItem"
        pipeline_guard_encrypts :value, keyring: -> { kr }, context: "c", associated_data: %i[name]
      end
      expect { klass.create!(name: "a", value: "v") }.to raise_error(PipelineGuard::InvalidInput, /convergent/)
    end

    it "works without associated data, deterministically" do
      kr = keyring
      klass = Class.new(ActiveRecord::Base) do
        self.table_name = "bound_items"
        def self.name = "BoundItem"
        pipeline_guard_encrypts :value, keyring: kr, context: "c", associated_data: false
      end
      a = klass.create!(name: "a", value: "same")
      b = klass.create!(name: "b", value: "same")
      expect(a.value_ciphertext).to eq(b.value_ciphertext)
      expect(klass.find(b.id).value).to eq("same")
    end

    it "is allowed when the keyring opted in for OpenBao compatibility" do
      kr = PipelineGuard::Keyring.generate(derived: true, convergent: true, openbao_compatible_convergent_aad: true)
      klass = Class.new(ActiveRecord::Base) do
        self.table_name = "bound_items"
        def self.name = "BoundItem"
        pipeline_guard_encrypts :value, keyring: kr, context: "c", associated_data: %i[name]
      end
      expect(klass.find(klass.create!(name: "a", value: "v").id).value).to eq("v")
    end
  end
end
