# frozen_string_literal: true

# An encrypted attribute round trip in ActiveRecord (SQLite in memory):
# create! a record with a 100-byte secret, find it and read the plaintext.
# pipeline_guard_encrypts vs lockbox vs ActiveSupport::MessageEncryptor in a
# callback, and a plain unencrypted column as the Rails baseline. Rails 6.1
# has no `encrypts` (Active Record encryption arrived in 7.0), so that row
# is skipped with this reason.
require_relative "support"
require "securerandom"
require "active_record"
require "stringio" # lockbox 0.6 needs it loaded first
require "lockbox"
require "active_support/message_encryptor"
require "pipeline_guard"
require "pipeline_guard/rails"

S = BenchSuite
ActiveRecord::Base.establish_connection(adapter: "sqlite3", database: ":memory:")
ActiveRecord::Migration.verbose = false
ActiveRecord::Schema.define do
  %i[plain_items guard_items lockbox_items encryptor_items].each do |table|
    create_table table, force: true do |t|
      t.integer :project_id
      t.string :name
      table == :plain_items ? t.text(:value) : t.text(:value_ciphertext)
    end
  end
end
ActiveRecord::Base.include(PipelineGuard::Rails::EncryptedAttribute)

KEY = SecureRandom.bytes(32)
KEYRING = PipelineGuard::Keyring.from_transit_export({ "keys" => { "1" => [KEY].pack("m0") } })
ENCRYPTOR = ActiveSupport::MessageEncryptor.new(KEY, cipher: "aes-256-gcm")

class PlainItem < ActiveRecord::Base; end

class GuardItem < ActiveRecord::Base
  pipeline_guard_encrypts :value, keyring: KEYRING, associated_data: %i[project_id name]
end

class LockboxItem < ActiveRecord::Base
  lockbox_encrypts :value, key: KEY.unpack1("H*")
end

# What an app without a library writes: MessageEncryptor in a callback.
class EncryptorItem < ActiveRecord::Base
  attribute :secret
  before_save { self.value_ciphertext = ENCRYPTOR.encrypt_and_sign(secret) if secret }
  def secret_value = ENCRYPTOR.decrypt_and_verify(value_ciphertext)
end

plaintext = SecureRandom.alphanumeric(100)
round_trips = {
  "plain" => -> { PlainItem.find(PlainItem.create!(project_id: 1, name: "DB", value: plaintext).id).value },
  "guard" => -> { GuardItem.find(GuardItem.create!(project_id: 1, name: "DB", value: plaintext).id).value },
  "lockbox" => -> { LockboxItem.find(LockboxItem.create!(project_id: 1, name: "DB", value: plaintext).id).value },
  "encryptor" => lambda do
    EncryptorItem.find(EncryptorItem.create!(project_id: 1, name: "DB", secret: plaintext).id).secret_value
  end
}
round_trips.each { |name, blk| raise "#{name} round trip broken" unless blk.call == plaintext }
raise "not encrypted" if GuardItem.last.value_ciphertext.include?(plaintext)

r = S.ips(round_trips)
ours = ["pipeline_guard_encrypts", r["guard"]]
S.compare(
  "encrypted attribute create+find+read vs lockbox",
  ours:, base: ["lockbox 0.6 encrypts", r["lockbox"]], target: "ahead", min: 1
)
S.compare(
  "encrypted attribute create+find+read vs MessageEncryptor callback",
  ours:, base: ["MessageEncryptor in before_save", r["encryptor"]], target: "ahead", min: 1
)
S.compare(
  "encrypted attribute create+find+read vs unencrypted column",
  ours:, base: ["plain column (Rails baseline)", r["plain"]], target: "(overhead of encryption)"
)
S.skip("encrypted attribute vs Rails `encrypts`",
       "Rails #{ActiveRecord::VERSION::STRING} lacks Active Record encryption (`encrypts` arrived in Rails 7.0)")
