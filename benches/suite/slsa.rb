# frozen_string_literal: true

# DSSE and SLSA side by side with what a Rails app would write today: DSSE
# sign/verify of a provenance statement per key type against OpenSSL from
# Ruby doing the same PAE + sign/verify + base64 + JSON, and SLSA.digest
# (SHA-256) of a 100 MiB artifact against `sha256sum` and Ruby's
# Digest::SHA256.file (8 MiB in quick runs).
require_relative "support"
require "base64"
require "digest"
require "json"
require "openssl"
require "tmpdir"
require "pipeline_guard"

S = BenchSuite
TYPE = PipelineGuard::DSSE::IN_TOTO_PAYLOAD_TYPE
payload = File.read(File.expand_path("../../core/tests/data/gitlab_provenance_example.json", __dir__))
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

keys.each do |name, (key, digest, alg)|
  signer = PipelineGuard::DSSE::Signer.new(key, algorithm: alg)
  verifier = PipelineGuard::DSSE::Verifier.new(keys: { key: OpenSSL::PKey.read(key.public_to_der), algorithm: alg })
  ours_json = JSON.generate(PipelineGuard::DSSE.sign(payload, payload_type: TYPE, signer:))
  theirs_json = JSON.generate(openssl_sign(key, digest, payload))
  # Same answers before timing: each side verifies the other's envelope.
  raise "ours -> OpenSSL" unless openssl_verify(key, digest, ours_json) == payload
  raise "OpenSSL -> ours" unless verifier.verify(theirs_json) == payload

  r = S.ips("sign" => -> { PipelineGuard::DSSE.sign(payload, payload_type: TYPE, signer:) },
            "sign (OpenSSL)" => -> { openssl_sign(key, digest, payload) },
            "verify" => -> { verifier.verify(ours_json) },
            "verify (OpenSSL)" => -> { openssl_verify(key, digest, ours_json) })
  S.compare(
    "DSSE sign, #{name}, #{payload.bytesize}-byte provenance statement vs OpenSSL from Ruby",
    ours: ["DSSE.sign", r["sign"]], base: ["OpenSSL PAE + sign + base64", r["sign (OpenSSL)"]]
  )
  S.compare(
    "DSSE verify, #{name}, #{payload.bytesize}-byte provenance statement vs OpenSSL from Ruby",
    ours: ["DSSE::Verifier#verify", r["verify"]],
    base: ["OpenSSL JSON + base64 + PAE + verify", r["verify (OpenSSL)"]]
  )
end

# SHA-256 of a large artifact: best of N wall-clock runs each (one file read
# per run; the page cache holds it after the first write).
mib = S.quick? ? 8 : 100
Dir.mktmpdir do |dir|
  path = File.join(dir, "artifact.bin")
  File.open(path, "wb") do |f|
    chunk = Random.new(42).bytes(1024 * 1024)
    mib.times { f.write(chunk) }
  end
  runs = S.quick? ? 1 : 5
  want = IO.popen(["sha256sum", path], &:read).split.first
  raise "digest mismatch" unless PipelineGuard::SLSA.digest(path, algorithms: %w[sha256])["sha256"] == want

  sides = { ours: -> { PipelineGuard::SLSA.digest(path, algorithms: %w[sha256]) },
            tool: -> { system("sha256sum", path, out: File::NULL) || raise("sha256sum failed") },
            ruby: -> { Digest::SHA256.file(path).hexdigest },
            both: -> { PipelineGuard::SLSA.digest(path) } }
  # The sides alternate run by run, so they see the same load.
  times = Hash.new { |h, k| h[k] = [] }
  runs.times { sides.each { |side, blk| times[side] << S.seconds_per_call { blk.call } } }
  ips = times.transform_values { |t| 1 / t.min }
  S.compare(
    "SLSA.digest SHA-256 of a #{mib} MiB file vs sha256sum (best of #{runs})",
    ours: ["SLSA.digest (sha256)", ips[:ours]], base: ["sha256sum", ips[:tool]], target: ">= 0.8x", min: 0.8
  )
  S.compare(
    "SLSA.digest SHA-256 of a #{mib} MiB file vs Ruby Digest::SHA256.file (best of #{runs})",
    ours: ["SLSA.digest (sha256)", ips[:ours]], base: ["Digest::SHA256.file", ips[:ruby]]
  )
  S.compare(
    "SLSA.digest default (SHA-256 + SHA-512) of a #{mib} MiB file vs sha256sum alone (best of #{runs})",
    ours: ["SLSA.digest (sha256 + sha512)", ips[:both]], base: ["sha256sum", ips[:tool]]
  )
end
