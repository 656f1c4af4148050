# frozen_string_literal: true

# A pipeline job's secrets fetch, with the example app's ID token signer
# (IdTokens, RS256, parsed key kept) and a project of 100 secrets (--quick:
# 20) spread over global, environment, branch and environment+branch scopes
# (GitLab's CI policies from the app's ProjectAccess). The job (branch main, environment
# production) asks for 4 secrets, one per scope. Side by side:
# - local: JwtAuth#cel_login with GitLab's pipeline CEL program
#   (SecretsManager::CelPrograms) -> ACL of the login's policies (cached per
#   policy set, as PolicySync#acl_for does) -> ACL#capabilities per secret;
#   the values then come from the app's store (SQLite, keyring-decrypted);
# - OpenBao (dev server started here, loopback): `cel/login` on a JWT mount
#   with the same role, key and policies, then a KV v2 read per secret with
#   the token it returns.
# Rows: authorization alone per job (the target), the whole fetch per job
# (mint included on both sides), and 100 jobs at once on 100 threads (each
# OpenBao job with its own connection, as separate runners have).
require_relative "support"
require_relative "app"

S = BenchSuite
BenchApp.boot
PG = PipelineGuard::OpenBao
CEL = PipelineGuard::SecretsManager::CelPrograms
JOBS = S.quick? ? 10 : 100
SECRETS = S.quick? ? 20 : 100
SCOPES = { "GLOBAL" => ["*", "*"], "PROD" => ["production", "*"], "MAIN" => ["*", "main"],
           "PROD_MAIN" => %w[production main] }.freeze

user, = BenchApp.member("ci-user", "acme", Membership::DEVELOPER)
project = BenchApp.project("acme/pipelines")
SECRETS.times do |i|
  prefix, (environment, branch) = SCOPES.to_a[i % SCOPES.size]
  project.secrets.create!(name: "#{prefix}_#{i}", value: "value-#{i}-#{'v' * 40}", environment:, branch:)
end
project.secrets.create!(name: "STAGING_ONLY", value: "no", environment: "staging", branch: "*")
WANTED = SCOPES.keys.each_with_index.map { |prefix, i| "#{prefix}_#{i}" }.freeze
access = ProjectAccess.for(project)
ci_policies = access.ci_policies.to_h { |name, hcl| [name, PG::Policy.parse(hcl, name:)] }
aud = IdTokens.audience

auth = PG::JwtAuth.new(bound_issuer: IdTokens::ISSUER, jwt_validation_pubkeys: [IdTokens.public_key_pem])
role = CEL.role(CEL.project_pipeline(project_id: project.id, aud:), aud:)
auth.write_cel_role("all_pipelines", **role)
mint = -> { IdTokens.mint(project:, user:, ref: "main", environment: "production") }
acls = {}
acl_lock = Mutex.new

# The local decision: names of `wanted` the job may read (raises if refused).
authorize = lambda do |jwt, wanted|
  policies = auth.cel_login(role: "all_pipelines", jwt:).policies
  acl = acl_lock.synchronize do
    acls[policies] ||= PG::ACL.new(policies.filter_map { |name| ci_policies[name] })
  end
  wanted.select { |name| acl.allowed?(:read, "secrets/kv/data/explicit/#{name}") }
end
local_fetch = lambda do
  names = authorize.call(mint.call, WANTED)
  ActiveRecord::Base.connection_pool.with_connection { SecretStore.current.read(project, names) }
end

expected = WANTED.to_h { |n| [n, project.secrets.find_by!(name: n).value] }
raise "local fetch differs" unless local_fetch.call == expected
raise "local authorization lets STAGING_ONLY through" unless authorize.call(mint.call, ["STAGING_ONLY"]).empty?

# Wall-clock seconds for `jobs` jobs on as many threads (best of `runs`).
def concurrent(jobs, runs)
  Array.new(runs) do
    S.seconds_per_call { Array.new(jobs) { |i| Thread.new { yield i } }.each(&:join) }
  end.min
end

BenchOpenBao.run do |bao|
  unless bao
    S.skip("pipeline_fetch vs OpenBao cel/login + KV reads", "no OpenBao 2.7.2 `bao` binary (bin/bao-path failed)")
    next
  end

  bao.post("sys/auth/pipeline_jwt", { "type" => "jwt" })
  bao.post("auth/pipeline_jwt/config", { "bound_issuer" => IdTokens::ISSUER,
                                         "jwt_validation_pubkeys" => [IdTokens.public_key_pem] })
  bao.post("auth/pipeline_jwt/cel/role/all_pipelines", role.transform_keys(&:to_s))
  access.ci_policies.each { |name, hcl| bao.put("sys/policies/acl/#{name}", { "policy" => hcl }) }
  bao.post("sys/mounts/secrets/kv", { "type" => "kv", "options" => { "version" => "2" } })
  Secret.where(project_id: project.id).find_each do |s|
    bao.post("secrets/kv/data/explicit/#{s.name}", { "data" => { "value" => s.value } })
  end

  anonymous = bao.with_token(nil)
  bao_login = lambda do |client, jwt|
    client.post("auth/pipeline_jwt/cel/login", { "role" => "all_pipelines", "jwt" => jwt })
  end
  bao_fetch = lambda do |client = anonymous|
    token = bao_login.call(client, mint.call).dig("auth", "client_token")
    reader = client.with_token(token)
    WANTED.to_h { |n| [n, reader.get("secrets/kv/data/explicit/#{n}").dig("data", "data", "value")] }
  end
  got = bao_fetch.call
  raise "OpenBao fetch differs: #{got.transform_values { |v| v.to_s[0, 12] }}" unless got == expected

  staging_token = bao_login.call(anonymous, mint.call).dig("auth", "client_token")
  begin
    anonymous.with_token(staging_token).get("secrets/kv/data/explicit/STAGING_ONLY")
    raise "OpenBao lets STAGING_ONLY through"
  rescue PG::ClientError => e
    raise unless e.message.include?("403")
  end

  jwt = mint.call
  r = S.ips("local" => -> { authorize.call(jwt, WANTED) },
            "bao" => -> { bao_login.call(anonymous, jwt) })
  S.compare("pipeline authorization per job: cel_login + ACL#capabilities x4 vs OpenBao cel/login",
            ours: ["JwtAuth#cel_login + ACL (local)", r["local"]],
            base: ["OpenBao cel/login (loopback HTTP)", r["bao"]], target: ">= 20x", min: 20)

  f = S.ips("local" => local_fetch, "bao" => bao_fetch)
  S.compare("pipeline secrets fetch per job: mint + authorize + 4 values",
            ours: ["mint + local authorization + app store reads", f["local"]],
            base: ["mint + OpenBao cel/login + 4 KV reads", f["bao"]])

  runs = S.quick? ? 1 : 3
  clients = Array.new(JOBS) { anonymous.with_token(nil) } # one connection per runner
  local_wall = concurrent(JOBS, runs) { local_fetch.call }
  bao_wall = concurrent(JOBS, runs) { |i| bao_fetch.call(clients[i]) }
  S.compare("#{JOBS} concurrent jobs (threads): whole fetch, wall clock for all",
            ours: ["local, #{JOBS} threads", 1 / local_wall], base: ["OpenBao, #{JOBS} threads", 1 / bao_wall])
end
