# frozen_string_literal: true

# DSSE and SLSA side by side with what a Rails app would write today, in one
# run: DSSE sign/verify of a provenance statement per key type against
# OpenSSL from Ruby doing the same PAE + sign/verify + base64 + JSON, and
# SHA-256 of a 100 MB artifact against `sha256sum`. Build in release mode
# first (bin/compile), then: ruby -Ilib benches/slsa_bench.rb
# (BENCH_QUICK=1 for a short run).
require "base64"
require "json"
require "openssl"
require "tmpdir"
require "pipeline_guard"
require_relative "support"

TYPE = PipelineGuard::DSSE::IN_TOTO_PAYLOAD_TYPE
payload = File.read(File.expand_path("../core/tests/data/gitlab_provenance_example.json", __dir__))
payload = JSON.generate(JSON.parse(payload))

def pae(type, body) = "DSSEv1 #{type.bytesize} #{type} #{body.bytesize} ".b + body.b

# What an app would write with OpenSSL alone: the same envelope Hash.
def openssl_sign(key, digest, payload)
  sig = key.sign(digest, pae(TYPE, payload))
  { "payloadType" => TYPE, "payload" => Base64.strict_encode64(payload),
    "signatures" => [{ "sig" => Base64.strict_encode64(sig) }] }
end

def openssl_verify(key, digest, json)
  env = JSON.parse(json)
  raise "type" unless env["payloadType"] == TYPE

  body = Base64.strict_decode64(env["payload"])
  ok = env["signatures"].any? { |s| key.verify(digest, Base64.strict_decode64(s["sig"]), pae(TYPE, body)) }
  raise "bad signature" unless ok

  body
end

keys = {
  "ECDSA P-256" => [OpenSSL::PKey::EC.generate("prime256v1"), "SHA256", nil],
  "ECDSA P-384" => [OpenSSL::PKey::EC.generate("secp384r1"), "SHA384", nil],
  "Ed25519" => [OpenSSL::PKey.generate_key("ED25519"), nil, nil],
  "RSA-2048 PKCS#1 v1.5" => [OpenSSL::PKey::RSA.new(2048), "SHA256", "RS256"]
}

results = {}
rows = []
keys.each do |name, (key, digest, alg)|
  signer = PipelineGuard::DSSE::Signer.new(key, algorithm: alg)
  verifier = PipelineGuard::DSSE::Verifier.new(keys: { key: OpenSSL::PKey.read(key.public_to_der), algorithm: alg })
  ours_json = JSON.generate(PipelineGuard::DSSE.sign(payload, payload_type: TYPE, signer:))
  theirs_json = JSON.generate(openssl_sign(key, digest, payload))
  # Same answers before timing: each side verifies the other's envelope.
  raise "ours -> OpenSSL" unless openssl_verify(key, digest, ours_json) == payload
  raise "OpenSSL -> ours" unless verifier.verify(theirs_json) == payload

  results.merge!(BenchSupport.ips(
                   "#{name} sign" => -> { PipelineGuard::DSSE.sign(payload, payload_type: TYPE, signer:) },
                   "#{name} sign (OpenSSL)" => -> { openssl_sign(key, digest, payload) },
                   "#{name} verify" => -> { verifier.verify(ours_json) },
                   "#{name} verify (OpenSSL)" => -> { openssl_verify(key, digest, ours_json) }
                 ))
  rows << ["DSSE sign, #{name}", "#{name} sign", "#{name} sign (OpenSSL)", "-"]
  rows << ["DSSE verify, #{name}", "#{name} verify", "#{name} verify (OpenSSL)", "-"]
end
BenchSupport.table("DSSE sign/verify of a #{payload.bytesize}-byte provenance statement", results, rows)

# SHA-256 of a 100 MB artifact (best of N wall-clock runs each).
def best_of(runs)
  Array.new(runs) do
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    yield
    Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0
  end.min
end

Dir.mktmpdir do |dir|
  path = File.join(dir, "artifact.bin")
  File.open(path, "wb") do |f|
    chunk = Random.new(42).bytes(1024 * 1024)
    100.times { f.write(chunk) }
  end
  runs = BenchSupport.quick? ? 2 : 5
  want = `sha256sum #{path}`.split.first
  raise "digest mismatch" unless PipelineGuard::SLSA.digest(path, algorithms: %w[sha256])["sha256"] == want

  ours = best_of(runs) { PipelineGuard::SLSA.digest(path, algorithms: %w[sha256]) }
  tool = best_of(runs) { system("sha256sum", path, out: File::NULL) || raise("sha256sum failed") }
  ruby = best_of(runs) { Digest::SHA256.file(path).hexdigest }
  both = best_of(runs) { PipelineGuard::SLSA.digest(path) }
  mb = 100.0 * 1024 * 1024 / 1e6
  puts "\n### SHA-256 of a 100 MiB artifact (best of #{runs})\n\n"
  puts "| what | time | throughput | ratio to sha256sum |"
  puts "|---|---:|---:|---:|"
  [["SLSA.digest (sha256)", ours], ["sha256sum", tool], ["Ruby Digest::SHA256.file", ruby],
   ["SLSA.digest (sha256 + sha512, default)", both]].each do |label, secs|
    puts "| #{label} | #{format('%.0f ms', secs * 1000)} | #{format('%.0f MB/s', mb / secs)} | " \
         "#{format('%.2fx', tool / secs)} |"
  end
end
