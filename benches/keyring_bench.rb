# frozen_string_literal: true

# AES-256-GCM round trips from Ruby: PipelineGuard::Keyring side by side with
# OpenSSL::Cipher, lockbox and ActiveSupport::MessageEncryptor, plus the
# 1 MiB throughput against `openssl speed` and the batch API against a loop.
$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
require "pipeline_guard"
require "openssl"
require "securerandom"
require "etc"
require "stringio"
require "lockbox"
require "active_support"
require "active_support/message_encryptor"
require_relative "support"

key = SecureRandom.bytes(32)
keyring = PipelineGuard::Keyring.from_transit_export({ "keys" => { "1" => [key].pack("m0") } })
lockbox = Lockbox.new(key: key.unpack1("H*"))
encryptor = ActiveSupport::MessageEncryptor.new(key, cipher: "aes-256-gcm")

openssl_round_trip = lambda do |plaintext|
  c = OpenSSL::Cipher.new("aes-256-gcm").encrypt
  c.key = key
  iv = c.random_iv
  c.auth_data = ""
  ct = c.update(plaintext) + c.final
  tag = c.auth_tag
  d = OpenSSL::Cipher.new("aes-256-gcm").decrypt
  d.key = key
  d.iv = iv
  d.auth_tag = tag
  d.auth_data = ""
  d.update(ct) + d.final
end

sizes = { "100 B" => 100, "4 KiB" => 4096, "1 MiB" => 1 << 20 }
results = {}
rows = []
sizes.each do |label, size|
  pt = SecureRandom.bytes(size)
  raise "keyring round trip broken" unless keyring.decrypt(keyring.encrypt(pt)) == pt
  raise "openssl round trip broken" unless openssl_round_trip.call(pt) == pt

  results.merge!(BenchSupport.ips(
                   "keyring #{label}" => -> { keyring.decrypt(keyring.encrypt(pt)) },
                   "OpenSSL::Cipher #{label}" => -> { openssl_round_trip.call(pt) },
                   "lockbox #{label}" => -> { lockbox.decrypt(lockbox.encrypt(pt)) },
                   "MessageEncryptor #{label}" => -> { encryptor.decrypt_and_verify(encryptor.encrypt_and_sign(pt)) }
                 ))
  target = size == 100 ? ">= 10x" : ""
  rows << ["round trip #{label}", "keyring #{label}", "OpenSSL::Cipher #{label}", target]
  rows << ["round trip #{label}", "keyring #{label}", "lockbox #{label}", ""]
  rows << ["round trip #{label}", "keyring #{label}", "MessageEncryptor #{label}", ""]
end

# 1 MiB encrypt throughput against OpenSSL's own speed test.
mib = SecureRandom.bytes(1 << 20)
aead = PipelineGuard::Crypto::AesGcm.new(key)
nonce = SecureRandom.bytes(12)
results.merge!(BenchSupport.ips(
                 "keyring encrypt 1 MiB" => -> { keyring.encrypt(mib) },
                 "AesGcm#seal 1 MiB" => -> { aead.seal(nonce, mib) }
               ))
speed = `openssl speed -evp aes-256-gcm -bytes #{1 << 20} -seconds #{BenchSupport.quick? ? 1 : 3} 2>/dev/null`
openssl_kbps = speed.lines.grep(/\Aaes-256-gcm/i).first&.split&.last&.to_f
if openssl_kbps&.positive?
  results["openssl speed 1 MiB"] = openssl_kbps * 1000 / (1 << 20)
  rows << ["AES-256-GCM seal 1 MiB from Ruby (vs `openssl speed -evp aes-256-gcm`)", "AesGcm#seal 1 MiB",
           "openssl speed 1 MiB", ">= 0.8x"]
  rows << ["Keyring#encrypt 1 MiB incl. transit base64 (vs `openssl speed`)", "keyring encrypt 1 MiB",
           "openssl speed 1 MiB", ""]
end

# Batch of 10,000 small items: one native call vs a Ruby loop.
items = Array.new(10_000) { SecureRandom.bytes(100) }
cts = keyring.encrypt_many(items)
results.merge!(BenchSupport.ips(
                 "encrypt_many 10k" => -> { keyring.encrypt_many(items) },
                 "encrypt loop 10k" => -> { items.each { |i| keyring.encrypt(i) } },
                 "decrypt_many 10k" => -> { keyring.decrypt_many(cts) },
                 "decrypt loop 10k" => -> { cts.each { |c| keyring.decrypt(c) } }
               ))
rows << ["10,000 x 100 B encrypt, batch vs loop", "encrypt_many 10k", "encrypt loop 10k", ">= 1.8x on 2 cores"]
rows << ["10,000 x 100 B decrypt, batch vs loop", "decrypt_many 10k", "decrypt loop 10k", ">= 1.8x on 2 cores"]

BenchSupport.table("Keyring (AES-256-GCM, #{keyring.provider}, #{Etc.nprocessors} cores)", results, rows)
