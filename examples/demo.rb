# frozen_string_literal: true

# The main job of a secrets manager, natively: encrypt secret values with a
# transit-compatible keyring, rotate, and show that what OpenBao would say
# about the ciphertexts is what the gem says.
require "pipeline_guard"

def say(text) = puts("  #{text}")

puts "pipeline_guard #{PipelineGuard::VERSION} demo"
keyring =
  if ENV["BAO_ADDR"]
    bao = PipelineGuard::OpenBao::Client.from_env
    name = "pipeline-guard-demo"
    begin
      bao.post("sys/mounts/transit", type: "transit")
    rescue PipelineGuard::OpenBao::ClientError
      nil # already mounted
    end
    bao.post("transit/keys/#{name}", type: "aes256-gcm96", exportable: true)
    say "using OpenBao at #{bao.address}: transit key #{name}"
    PipelineGuard::Keyring.from_transit_export(bao.get("transit/export/encryption-key/#{name}"))
  else
    say "no BAO_ADDR: using an embedded keyring"
    PipelineGuard::Keyring.generate
  end

puts "\n1. Envelope encryption of secret values (OpenBao transit format)"
secrets = { "DATABASE_URL" => "postgres://app:s3cret@db/prod", "API_TOKEN" => "tok-#{rand(1 << 32)}" }
stored = secrets.transform_values { |v| keyring.encrypt(v, associated_data: "project:42") }
stored.each { |k, ct| say "#{k} -> #{ct[0, 40]}..." }
roundtrip = stored.transform_values { |ct| keyring.decrypt_str(ct, associated_data: "project:42") }
say "decrypted back: #{roundtrip == secrets ? 'ok' : 'MISMATCH'}"

puts "\n2. Rotation"
keyring.rotate!
rewrapped = stored.transform_values { |ct| keyring.rewrap(ct, associated_data: "project:42") }
say "latest version #{keyring.latest_version}; rewrapped: #{rewrapped.values.map { |c| c[0, 9] }.uniq.join(', ')}"
keyring.min_decryption_version = keyring.latest_version
begin
  keyring.decrypt(stored["API_TOKEN"], associated_data: "project:42")
rescue PipelineGuard::DecryptionError => e
  say "old ciphertext refused after raising min_decryption_version: #{e.message}"
end

puts "\n3. Tampering is detected"
begin
  keyring.decrypt(rewrapped["DATABASE_URL"], associated_data: "project:43")
rescue PipelineGuard::DecryptionError => e
  say "wrong associated data: #{e.message}"
end

puts "\n4. Batch work off the GVL"
values = Array.new(10_000) { |i| "value-#{i}" }
started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
back = keyring.decrypt_many(keyring.encrypt_many(values))
elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
ok = back == values.map(&:b) ? "all match" : "MISMATCH"
say "10,000 values encrypted and decrypted in #{(elapsed * 1000).round(1)} ms (#{ok})"
puts "\ndone"
