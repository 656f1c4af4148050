# frozen_string_literal: true

# Per-call cost against size: ACL rules, JWKS keys, RBAC memberships,
# plaintext bytes, batch size and Ruby threads. The README claims flat
# per-call cost for ACL rules and RBAC memberships; the rows say whether it holds.
require_relative "support"
require_relative "rbac_model"
require "jwt"
require "openssl"
require "securerandom"
require "pipeline_guard"

S = BenchSuite
Q = S.quick?
T = { time: 0.5, warmup: 0.2 }.freeze
PG = PipelineGuard::OpenBao

def us(ips) = 1e6 / ips

# Flat means the largest size costs at most `limit` times the smallest.
def flatness(curve, series, points, limit: 2.0)
  first = points.min_by(&:first)
  last = points.max_by(&:first)
  growth = last[1] / first[1]
  S.emit(kind: "flat", curve:, series:, from: first[0], to: last[0], growth:, target: "<= #{limit}x",
         met: growth <= limit)
end

# ---- ACL rules: prefix, exact, segment-wildcard and deny rules in one policy set.
def rules_text(count, chunk)
  Array.new(count) do |i|
    case i % 4
    when 0 then %(path "projects/c#{chunk}p#{i}/secrets/kv/data/explicit/*" { capabilities = ["read", "list"] })
    when 1 then %(path "projects/c#{chunk}p#{i}/secrets/kv/metadata/explicit/DB" { capabilities = ["read"] })
    when 2 then %(path "projects/c#{chunk}p#{i}/+/kv/data/env/*" { capabilities = ["create"] })
    else %(path "groups/c#{chunk}g#{i}/*" { capabilities = ["deny"] })
    end
  end.join("\n")
end

path = "secrets/kv/data/explicit/DB_PASSWORD"
points = (Q ? [10, 100, 1_000] : [10, 100, 1_000, 10_000, 100_000]).map do |n|
  chunks = [n / 10_000, 1].max
  policies = Array.new(chunks) { |c| PG::Policy.parse(rules_text(n / chunks, c), name: "p#{c}") }
  policies << PG::Policy.parse(%(path "secrets/kv/data/explicit/*" { capabilities = ["read", "list"] }), name: "ci")
  acl = PG::ACL.new(policies)
  raise "bad ACL" unless acl.capabilities(path) == %w[list read]

  t = us(S.ips({ "c" => -> { acl.capabilities(path) } }, **T)["c"])
  S.point("acl_rules", "ACL#capabilities", n, t, unit: "rules")
  [n, t]
end
flatness("acl_rules", "ACL#capabilities", points)

# ---- JWKS keys: the token's kid is the last key of the set.
claims = { "sub" => "x", "exp" => Time.now.to_i + 3600 }
points = (Q ? [1, 10, 100] : [1, 10, 100, 1_000]).map do |n|
  keys = Array.new(n) { OpenSSL::PKey::EC.generate("prime256v1") }
  jwks = { "keys" => keys.each_with_index.map { |k, i| JWT::JWK.new(k, kid: "k#{i}").export.transform_keys(&:to_s) } }
  token = JWT.encode(claims, keys.last, "ES256", { kid: "k#{n - 1}" })
  verifier = PipelineGuard::JWT::Verifier.new(jwks:, algorithms: ["ES256"])
  gem_jwks = { keys: jwks["keys"].map { |h| h.transform_keys(&:to_sym) } }
  raise "mismatch" unless verifier.verify(token) == JWT.decode(token, nil, true, algorithms: ["ES256"],
                                                                                 jwks: gem_jwks).first

  r = S.ips({ "pg" => -> { verifier.verify(token) },
              "jwt" => -> { JWT.decode(token, nil, true, algorithms: ["ES256"], jwks: gem_jwks) } }, **T)
  S.point("jwks_keys", "Verifier#verify (ES256)", n, us(r["pg"]), unit: "keys")
  S.point("jwks_keys", "jwt gem decode with jwks:", n, us(r["jwt"]), unit: "keys")
  [n, us(r["pg"])]
end
flatness("jwks_keys", "Verifier#verify (ES256)", points)

# ---- RBAC memberships.
points = (Q ? [10, 1_000] : [10, 1_000, 100_000, 1_000_000]).map do |n|
  rbac, index = BenchRBAC.build(n, index: n <= 100_000)
  r = S.ips({ "can" => -> { rbac.can?(42, :read_secret, BenchRBAC::PATH) },
              "dp" => -> { BenchRBAC.dp_check(index) } }, **T)
  S.point("rbac_memberships", "RBAC::Model#can?", n, us(r["can"]), unit: "memberships")
  S.point("rbac_memberships", "declarative_policy", n, us(r["dp"]), unit: "memberships") if n <= 100_000
  [n, us(r["can"])]
end
flatness("rbac_memberships", "RBAC::Model#can?", points)

# ---- Plaintext size: keyring round trip vs OpenSSL::Cipher round trip.
key = SecureRandom.bytes(32)
keyring = PipelineGuard::Keyring.from_transit_export({ "keys" => { "1" => [key].pack("m0") } })
cipher_round_trip = lambda do |pt|
  c = OpenSSL::Cipher.new("aes-256-gcm").encrypt
  c.key = key
  iv = c.random_iv
  ct = c.update(pt) + c.final
  d = OpenSSL::Cipher.new("aes-256-gcm").decrypt
  d.key = key
  d.iv = iv
  d.auth_tag = c.auth_tag
  d.update(ct) + d.final
end
(Q ? [16, 256, 4096, 65_536] : [16, 256, 4096, 65_536, 1 << 20, 16 << 20]).each do |n|
  pt = SecureRandom.bytes(n)
  r = S.ips({ "kr" => -> { keyring.decrypt(keyring.encrypt(pt)) }, "ossl" => -> { cipher_round_trip.call(pt) } }, **T)
  S.point("plaintext_bytes", "Keyring round trip", n, us(r["kr"]), unit: "bytes")
  S.point("plaintext_bytes", "OpenSSL::Cipher round trip", n, us(r["ossl"]), unit: "bytes")
end

# ---- Batch size: per-item cost of one native call vs a Ruby loop.
big_acl = PG::ACL.new([PG::Policy.parse(rules_text(1000, 0), name: "p"),
                       PG::Policy.parse(%(path "secrets/*" { capabilities = ["read"] }), name: "ci")])
(Q ? [1, 10, 100, 1_000] : [1, 10, 100, 1_000, 10_000, 100_000]).each do |n|
  items = Array.new(n) { SecureRandom.bytes(100) }
  paths = Array.new(n) { |i| "secrets/kv/data/S#{i}" }
  r = S.ips({ "em" => -> { keyring.encrypt_many(items) }, "el" => -> { items.map { |i| keyring.encrypt(i) } },
              "cm" => -> { big_acl.capabilities_many(paths) },
              "cl" => -> { paths.to_h { |p| [p, big_acl.capabilities(p)] } } }, **T)
  S.point("batch_size", "Keyring#encrypt_many per item", n, us(r["em"]) / n, unit: "items")
  S.point("batch_size", "loop of Keyring#encrypt per item", n, us(r["el"]) / n, unit: "items")
  S.point("batch_size", "ACL#capabilities_many per path", n, us(r["cm"]) / n, unit: "items")
  S.point("batch_size", "loop of ACL#capabilities per path", n, us(r["cl"]) / n, unit: "items")
end

# ---- Ruby threads: wall time per call with N threads sharing the work.
rsa = OpenSSL::PKey::RSA.new(2048)
verifier = PipelineGuard::JWT::Verifier.new(keys: OpenSSL::PKey::RSA.new(rsa.public_key.to_der), algorithms: ["RS256"])
rs_token = JWT.encode(claims, rsa, "RS256")
pt100 = SecureRandom.bytes(100)
calls = { "RS256 Verifier#verify" => [Q ? 40 : 4_000, -> { verifier.verify(rs_token) }],
          "Keyring round trip 100 B" => [Q ? 400 : 200_000, -> { keyring.decrypt(keyring.encrypt(pt100)) }],
          "ACL#capabilities" => [Q ? 400 : 400_000, -> { big_acl.capabilities(path) }] }
calls.each do |label, (total, blk)|
  (total / 10).times { blk.call } # warm up before the 1-thread point
  [1, 2, 4, 8].each do |threads|
    per = total / threads
    seconds = S.seconds_per_call { Array.new(threads) { Thread.new { per.times { blk.call } } }.each(&:join) }
    S.point("threads", label, threads, seconds * 1e6 / (per * threads), unit: "threads")
  end
end
