# frozen_string_literal: true

# Memory over many calls of each hot API: RSS and live Ruby heap slots after
# the run minus before (after a warm-up and a full GC each time). Growth
# beyond noise means a leak. Full runs make 10 M calls of the sub-microsecond
# APIs and fewer of the slower ones (the count is in each row).
require_relative "support"
require "jwt"
require "openssl"
require "securerandom"
require "pipeline_guard"
require_relative "rbac_model"

S = BenchSuite
Q = S.quick?
PG = PipelineGuard::OpenBao

acl = PG::ACL.new([PG::Policy.parse(%(path "secrets/*" { capabilities = ["read", "list"] }), name: "ci")])
rbac, = BenchRBAC.build(100, index: false)
keyring = PipelineGuard::Keyring.generate
pt = SecureRandom.bytes(100)
claims = { "sub" => "x", "exp" => Time.now.to_i + 3600 }
secret = "s" * 32
hs = JWT.encode(claims, secret, "HS256")
rsa = OpenSSL::PKey::RSA.new(2048)
rs_verifier = PipelineGuard::JWT::Verifier.new(keys: OpenSSL::PKey::RSA.new(rsa.public_key.to_der),
                                               algorithms: ["RS256"])
rs = JWT.encode(claims, rsa, "RS256")
paths = Array.new(100) { |i| "secrets/kv/S#{i}" }
items = Array.new(100) { SecureRandom.bytes(100) }
bad = JWT.encode(claims, "t" * 32, "HS256") # signed with another secret

apis = {
  "ACL#capabilities" => [10_000_000, -> { acl.capabilities("secrets/kv/DB") }],
  "RBAC::Model#can?" => [10_000_000, -> { rbac.can?(42, :read_secret, BenchRBAC::PATH) }],
  "Keyring round trip 100 B" => [10_000_000, -> { keyring.decrypt(keyring.encrypt(pt)) }],
  "JWT.decode HS256" => [1_000_000, -> { PipelineGuard::JWT.decode(hs, secret, true, algorithms: ["HS256"]) }],
  "JWT.decode HS256, bad signature (raises)" => [100_000, lambda do
    PipelineGuard::JWT.decode(bad, secret, true, algorithms: ["HS256"])
  rescue PipelineGuard::JWT::DecodeError
    nil
  end],
  "Verifier#verify RS256" => [100_000, -> { rs_verifier.verify(rs) }],
  "ACL#capabilities_many (100 paths)" => [100_000, -> { acl.capabilities_many(paths) }],
  "Keyring#encrypt_many (100 x 100 B)" => [100_000, -> { keyring.encrypt_many(items) }]
}

def settle
  3.times { GC.start(full_mark: true, immediate_sweep: true) }
  [S.rss_kib, GC.stat(:heap_live_slots)]
end

apis.each do |api, (full_count, blk)|
  count = Q ? 2_000 : full_count
  (count / 10).clamp(1, 100_000).times { blk.call }
  rss0, live0 = settle
  seconds = S.seconds_per_call do
    i = 0
    while i < count
      blk.call
      i += 1
    end
  end
  rss1, live1 = settle
  S.memory(api, calls: count, rss_growth_kib: rss1 - rss0, heap_live_growth: live1 - live0, rss_start_kib: rss0,
                seconds:)
end
