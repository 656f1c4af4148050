# frozen_string_literal: true

# AES-256-GCM from Ruby: Keyring round trips against OpenSSL::Cipher (and
# lockbox, MessageEncryptor), 1 MiB seal against `openssl speed`, batch vs loop.
require_relative "support"
require "openssl"
require "securerandom"
require "stringio" # lockbox 0.6 needs it loaded first
require "lockbox"
require "active_support"
require "active_support/message_encryptor"
require "pipeline_guard"

S = BenchSuite
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

{ "100 B" => 100, "4 KiB" => 4096, "1 MiB" => 1 << 20 }.each do |label, size|
  pt = SecureRandom.bytes(size)
  raise "round trip broken" unless keyring.decrypt(keyring.encrypt(pt)) == pt && openssl_round_trip.call(pt) == pt

  r = S.ips("keyring" => -> { keyring.decrypt(keyring.encrypt(pt)) },
            "cipher" => -> { openssl_round_trip.call(pt) },
            "lockbox" => -> { lockbox.decrypt(lockbox.encrypt(pt)) },
            "me" => -> { encryptor.decrypt_and_verify(encryptor.encrypt_and_sign(pt)) })
  ours = ["Keyring encrypt+decrypt", r["keyring"]]
  S.compare(
    "AES-GCM round trip #{label} vs OpenSSL::Cipher",
    ours:, base: ["OpenSSL::Cipher", r["cipher"]], target: size == 100 ? ">= 10x" : "ahead",
    min: size == 100 ? 10 : 1
  )
  S.compare("AES-GCM round trip #{label} vs lockbox", ours:, base: ["Lockbox", r["lockbox"]], target: "ahead", min: 1)
  S.compare(
    "AES-GCM round trip #{label} vs MessageEncryptor",
    ours:, base: ["MessageEncryptor", r["me"]], target: "ahead", min: 1
  )
end

# 1 MiB seal against OpenSSL's own speed test (the physical floor for this CPU).
mib = SecureRandom.bytes(1 << 20)
aead = PipelineGuard::Crypto::AesGcm.new(key)
nonce = SecureRandom.bytes(12)
r = S.ips("seal" => -> { aead.seal(nonce, mib) }, "encrypt" => -> { keyring.encrypt(mib) })
seconds = S.quick? ? 1 : 3
speed = `openssl speed -evp aes-256-gcm -bytes #{1 << 20} -seconds #{seconds} 2>/dev/null`
# The last line is "aes-256-gcm  <k bytes/s>k"; older builds print "AES-256-GCM".
kbps = speed.lines.grep(/\Aaes-256-gcm/i).last&.split&.last.to_f
if kbps.positive?
  floor = ["openssl speed -evp aes-256-gcm", kbps * 1000 / (1 << 20)]
  S.compare(
    "AesGcm#seal 1 MiB vs openssl speed (floor)",
    ours: ["AesGcm#seal", r["seal"]], base: floor, target: "within 1.25x (>= 0.8x)", min: 0.8
  )
  S.compare(
    "Keyring#encrypt 1 MiB (incl. transit base64) vs openssl speed",
    ours: ["Keyring#encrypt", r["encrypt"]], base: floor
  )
else
  S.skip("AesGcm#seal 1 MiB vs openssl speed", "could not parse `openssl speed` output: #{speed.lines.last.inspect}")
end

# 10,000 x 100 B: one native call (GVL released, parallel) vs a Ruby loop.
items = Array.new(10_000) { SecureRandom.bytes(100) }
cts = keyring.encrypt_many(items)
r = S.ips("em" => -> { keyring.encrypt_many(items) }, "el" => -> { items.each { |i| keyring.encrypt(i) } },
          "dm" => -> { keyring.decrypt_many(cts) }, "dl" => -> { cts.each { |c| keyring.decrypt(c) } })
S.compare(
  "encrypt_many 10,000 x 100 B vs a loop",
  ours: ["encrypt_many", r["em"]], base: ["loop of encrypt", r["el"]], target: ">= 1.5x on 2 cores", min: 1.5
)
S.compare(
  "decrypt_many 10,000 x 100 B vs a loop",
  ours: ["decrypt_many", r["dm"]], base: ["loop of decrypt", r["dl"]], target: ">= 1.5x on 2 cores", min: 1.5
)
