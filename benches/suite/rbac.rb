# frozen_string_literal: true

# RBAC checks from Ruby against a GitLab-like declarative_policy check and an
# OpenBao `sys/capabilities` round trip; filter and pipeline_secrets over lists.
require_relative "support"
require_relative "rbac_model"

S = BenchSuite
rbac, index = BenchRBAC.build(10)
path = BenchRBAC::PATH
raise "mismatch" unless rbac.can?(42, :read_secret, path) && BenchRBAC.dp_check(index)

r = S.ips("can" => -> { rbac.can?(42, :read_secret, path) }, "dp" => -> { BenchRBAC.dp_check(index) })
S.compare(
  "RBAC can? vs declarative_policy",
  ours: ["RBAC::Model#can?", r["can"]], base: ["declarative_policy allowed?", r["dp"]], target: ">= 50x", min: 50
)
S.emit(kind: "absolute", scenario: "RBAC can? per call from Ruby", us: 1e6 / r["can"], target: "<= 0.5 us",
       met: 1e6 / r["can"] <= 0.5)

page = Array.new(100) { |i| i.even? ? "group/sub/p#{i}" : "other/p#{i}" }
f = S.ips("filter" => -> { rbac.filter(42, :read_secret, page) },
          "loop" => -> { page.select { |p| rbac.can?(42, :read_secret, p) } },
          "dp" => -> { page.select { |p| BenchRBAC.dp_check(index, p) } })
S.compare(
  "RBAC filter, page of 100, vs a loop of can?",
  ours: ["filter", f["filter"]], base: ["loop of can?", f["loop"]], target: "ahead", min: 1
)
S.compare(
  "RBAC filter, page of 100, vs declarative_policy per item",
  ours: ["filter", f["filter"]], base: ["declarative_policy loop", f["dp"]], target: ">= 50x", min: 50
)

BenchOpenBao.run do |bao|
  next S.skip("RBAC can? vs OpenBao sys/capabilities", "no OpenBao 2.7.2 `bao` binary (bin/bao-path failed)") unless bao

  bao.put("sys/policies/acl/dev", { "policy" => %(path "group/sub/*" { capabilities = ["read"] }) })
  token = bao.post("auth/token/create", { "policies" => ["dev"], "no_default_policy" => true }).dig("auth",
                                                                                                    "client_token")
  remote = -> { bao.post("sys/capabilities", { "token" => token, "paths" => [path] }).dig("data", path) }
  raise "OpenBao check failed" unless remote.call == ["read"]

  http = S.ips("http" => remote)["http"]
  S.compare(
    "RBAC can? vs OpenBao sys/capabilities per check (loopback HTTP)",
    ours: ["RBAC::Model#can?", r["can"]], base: ["OpenBao sys/capabilities", http], target: ">= 1000x", min: 1000
  )
end

# pipeline_secrets: which of a project's secrets a pipeline may read, vs
# the same scope matching written in Ruby.
sm = PipelineGuard::SecretsManager
envs = ["*", "production", "staging", "review/*", "dev"]
branches = ["*", "main", "release/*", "dev"]
claims = { "sub" => "project_path:g/p:ref_type:branch:ref:main", "secrets_manager_scope" => "pipeline",
           "project_id" => "42", "user_id" => "1", "environment" => "review/app-1", "ref" => "release/1.0",
           "ref_type" => "branch", "ref_protected" => "false" }
ruby_match = lambda do |scope, value|
  next true if scope == "*"
  next false if value.nil? || value.empty?

  scope.include?("*") ? File.fnmatch?(scope, value, File::FNM_DOTMATCH) : scope == value
end
ruby_pipeline_secrets = lambda do |secrets|
  branch = claims["ref_type"] == "branch" ? claims["ref"] : nil
  readable = secrets.select do |s|
    (!s[:protected] || claims["ref_protected"] == "true") && ruby_match.call(s[:environment], claims["environment"]) &&
      ruby_match.call(s[:branch], branch)
  end
  readable.map { |s| s[:name] }.sort
end
[1000, 10_000].each do |n|
  hashes = Array.new(n) do |i|
    { name: "S#{i}", environment: envs[i % envs.size], branch: branches[(i / 5) % branches.size],
      protected: (i % 7).zero? }
  end
  project = sm::Project.new(project_id: 42)
  hashes.each { |h| project.upsert_secret(sm::Secret.new(**h)) }
  raise "pipeline_secrets differs" unless project.pipeline_secrets(claims) == ruby_pipeline_secrets.call(hashes)

  p = S.ips("gem" => -> { project.pipeline_secrets(claims) }, "ruby" => -> { ruby_pipeline_secrets.call(hashes) })
  S.compare(
    "SecretsManager Project#pipeline_secrets over #{n} secrets vs Ruby scope matching",
    ours: ["Project#pipeline_secrets", p["gem"]], base: ["Ruby scope matching", p["ruby"]], target: "ahead", min: 1
  )
end
