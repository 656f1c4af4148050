# frozen_string_literal: true

# OpenBao ACL checks: the gem's local ACL against a GitLab-style
# declarative_policy check and an OpenBao `sys/capabilities` round trip on a
# dev server started for this run (skipped, with the reason, without `bao`).
require_relative "support"
require "declarative_policy"
require "pipeline_guard"

S = BenchSuite
PG = PipelineGuard::OpenBao
PATH = "secrets/kv/data/explicit/DB_PASSWORD"
CI_RULE = %(path "secrets/kv/data/explicit/*" { capabilities = ["read", "list"] })

acl = PG::ACL.new([PG::Policy.parse(CI_RULE, name: "ci")])
raise "bad bench ACL" unless acl.capabilities(PATH) == %w[list read]

SecretPath = Struct.new(:path)
# The declarative_policy equivalent: a condition matching the path prefix.
class SecretPathPolicy < DeclarativePolicy::Base
  condition(:in_explicit_scope, scope: :subject) { @subject.path.start_with?("secrets/kv/data/explicit/") }
  rule { in_explicit_scope }.enable :read
  rule { in_explicit_scope }.enable :list
end
user = Object.new
dp = -> { DeclarativePolicy.policy_for(user, SecretPath.new(PATH)).allowed?(:read) }
raise "bad declarative_policy" unless dp.call

r = S.ips("caps" => -> { acl.capabilities(PATH) }, "allowed" => -> { acl.allowed?(:read, PATH) }, "dp" => dp)
S.compare(
  "ACL#capabilities vs declarative_policy",
  ours: ["ACL#capabilities", r["caps"]], base: ["declarative_policy allowed?", r["dp"]], target: ">= 50x", min: 50
)
S.compare(
  "ACL#allowed? vs declarative_policy",
  ours: ["ACL#allowed?", r["allowed"]], base: ["declarative_policy allowed?", r["dp"]], target: ">= 50x", min: 50
)
S.emit(kind: "absolute", scenario: "ACL#allowed? per call from Ruby", us: 1e6 / r["allowed"], target: "<= 0.5 us",
       met: 1e6 / r["allowed"] <= 0.5)

# capabilities_many over 10,000 paths vs a loop building the same Hash, on
# a 1,000-rule policy set.
rules = Array.new(1000) { |i| %(path "projects/p#{i}/*" { capabilities = ["read"] }) }.join("\n")
big = PG::ACL.new([PG::Policy.parse(rules, name: "big"), PG::Policy.parse(CI_RULE, name: "ci")])
paths = Array.new(10_000) { |i| i.even? ? "secrets/kv/data/explicit/S#{i}" : "projects/p#{i % 1000}/kv/#{i}" }
raise "batch differs" unless big.capabilities_many(paths) == paths.to_h { |p| [p, big.capabilities(p)] }

b = S.ips("many" => -> { big.capabilities_many(paths) }, "loop" => -> { paths.to_h { |p| [p, big.capabilities(p)] } })
S.compare(
  "ACL#capabilities_many 10,000 paths vs a loop",
  ours: ["capabilities_many", b["many"]], base: ["loop of capabilities", b["loop"]], target: ">= 1.5x on 2 cores",
  min: 1.5
)

# Building an ACL from 10,000 policies (20,000 rules), once per token in an app.
policies = Array.new(10_000) do |i|
  text = %(path "projects/#{i}/*" { capabilities = ["read"] }\n) +
         %(path "projects/+/env/#{i}" { capabilities = ["list"] })
  PG::Policy.parse(text, name: "p#{i}")
end
build = S.seconds_per_call(S.quick? ? 1 : 3) { PG::ACL.new(policies) }
S.emit(kind: "absolute", scenario: "ACL.new from 10,000 policies (20,000 rules)", us: build * 1e6,
       target: "well under 1 s (<= 0.5 s)", met: build <= 0.5)

BenchOpenBao.run do |bao|
  next S.skip("ACL vs OpenBao sys/capabilities", "no OpenBao 2.7.2 `bao` binary (bin/bao-path failed)") unless bao

  bao.put("sys/policies/acl/ci", { "policy" => CI_RULE })
  token = bao.post("auth/token/create", { "policies" => ["ci"], "no_default_policy" => true }).dig("auth",
                                                                                                   "client_token")
  remote = -> { bao.post("sys/capabilities", { "token" => token, "paths" => [PATH] }).dig("data", PATH) }
  raise "OpenBao disagrees with the local ACL" unless remote.call == acl.capabilities(PATH)

  http = S.ips("http" => remote)["http"]
  S.compare(
    "ACL#capabilities vs OpenBao sys/capabilities (loopback HTTP)",
    ours: ["ACL#capabilities", r["caps"]], base: ["OpenBao sys/capabilities", http], target: ">= 1000x", min: 1000
  )
end
