# frozen_string_literal: true

# Drives the example app end to end over HTTP on a loopback port and prints
# what happened. SQLite + an in-process keyring by default; with BAO_ADDR
# and BAO_TOKEN set, secret values go to that OpenBao.
require "json"
require "net/http"
require "socket"
require "fileutils"
require "rbconfig"

APP = File.expand_path("..", __dir__)
DB = File.join(APP, "tmp", "demo.sqlite3")
FileUtils.mkdir_p(File.dirname(DB))
FileUtils.rm_f(DB)
ENV["SECRETS_MANAGER_DATABASE_URL"] = "sqlite3:#{DB}"
ENV["RAILS_ENV"] = "development"

def say(text) = puts("\n== #{text}")
def show(label, value) = puts("   #{label.to_s.ljust(44)} #{value}")

seed = IO.popen([RbConfig.ruby, "-e", 'require "./config/environment"; load "db/seeds.rb"'], chdir: APP, &:read)
abort "seeding failed" unless $?.success? # rubocop:disable Style/SpecialGlobalVars
seed = JSON.parse(seed.lines.last)
users = seed["users"].transform_values { |u| u["token"] }
project_path = seed.dig("project", "full_path")
project_id = seed.dig("project", "id")

port = TCPServer.new("127.0.0.1", 0).then { |s| s.addr[1].tap { s.close } }
log = File.join(APP, "tmp", "demo-server.log")
FileUtils.rm_f(log)
server = Process.spawn({ "SECRETS_MANAGER_LOG" => log },
                       RbConfig.ruby, "-S", "rackup", "-s", "webrick", "-o", "127.0.0.1", "-p", port.to_s, "config.ru",
                       chdir: APP, out: File::NULL, err: File::NULL, pgroup: true)
at_exit do
  Process.kill("TERM", server)
  Process.wait(server)
rescue Errno::ESRCH, Errno::ECHILD
  nil
end

HTTP = Net::HTTP.new("127.0.0.1", port)
deadline = Time.now + 60
begin
  HTTP.start
  HTTP.get("/-/jwks")
rescue SystemCallError, IOError
  abort "server did not start; see #{log}" if Time.now > deadline
  sleep 0.2
  retry
end

def request(req, token)
  req["Authorization"] = "Bearer #{token}" if token
  res = HTTP.request(req)
  [res.code.to_i, res.body.to_s.empty? ? {} : JSON.parse(res.body)]
end

def gql(query, token, variables = {})
  req = Net::HTTP::Post.new("/api/graphql", "Content-Type" => "application/json")
  req.body = JSON.generate(query:, variables:)
  request(req, token)[1]
end

# GitLab's own frontend documents, as its UI sends them.
FIXTURES = File.join(APP, "spec", "fixtures", "gitlab_graphql")
def gitlab(name, token, **variables) = gql(File.read(File.join(FIXTURES, name)), token, variables)

# Runs Ruby inside the app (same database), e.g. a background job.
def in_app(code)
  out = IO.popen([RbConfig.ruby, "-e", "require './config/environment'; #{code}"], chdir: APP, &:read)
  abort "in-app step failed" unless $?.success? # rubocop:disable Style/SpecialGlobalVars
  out
end

def outcome(res, key)
  return "DENIED: #{res['errors'].map { |e| e['message'] }.join('; ')}" if res["errors"]

  data = res.dig("data", key)
  return "errors: #{data['errors'].join('; ')}" if data.is_a?(Hash) && data["errors"]&.any?

  JSON.generate(data)
end

store = ENV["BAO_ADDR"] ? "OpenBao at #{ENV['BAO_ADDR']} (namespace per project, KV v2)" : "SQLite + Keyring"
say "example secrets manager on http://127.0.0.1:#{port}, secret values in #{store}"
show "project", project_path
users.each_key { |name| show "user", name }

say "owner enables the secrets manager (GitLab's enable_secret_manager.mutation.graphql)"
early = { fullPath: project_path, name: "EARLY", description: "", secret: "x", branch: "*", environment: "*" }
res = gitlab("create_project_secret.mutation.graphql", users["olivia_owner"], **early)
show "create before enabling", outcome(res, "secretCreate")
show "developer enables", outcome(gitlab("enable_secret_manager.mutation.graphql", users["dana_developer"],
                                         fullPath: project_path), "projectSecretsManagerInitialize")
show "owner enables", outcome(gitlab("enable_secret_manager.mutation.graphql", users["olivia_owner"],
                                     fullPath: project_path), "projectSecretsManagerInitialize")
status = nil
20.times do # provisioning runs in a background job
  status = gitlab("get_project_secret_manager_status.query.graphql", users["olivia_owner"], fullPath: project_path)
  break if status.dig("data", "secretsManager", "status") == "ACTIVE"

  sleep 0.25
end
show "status after the provisioning job", outcome(status, "secretsManager")
show "OpenBao health", outcome(gitlab("get_openbao_health.query.graphql", users["olivia_owner"]), "openbaoHealth")
res = gitlab("get_project_branches.query.graphql", users["olivia_owner"], projectPath: project_path,
                                                                          searchPattern: "*", limit: 10)
show "branches offered for a secret's scope", res.dig("data", "project", "repository", "branchNames").inspect

say "owner creates secrets (GraphQL projectSecretCreate)"
SEEDED = [["DATABASE_URL", "postgres://db/prod", "production", "main"], ["API_KEY", "k-123", "*", "*"],
          ["REVIEW_TOKEN", "r-456", "review/*", "*"], ["SIGNING_KEY", "s-789", "*", "release/*"]].freeze
SEEDED.each do |name, value, env, branch|
  res = gql(%(mutation { projectSecretCreate(input: { projectPath: "#{project_path}", name: "#{name}",
    secret: "#{value}", environment: "#{env}", branch: "#{branch}" }) { projectSecret { name environment branch }
    errors } }), users["olivia_owner"])
  show "create #{name} (env #{env}, branch #{branch})", outcome(res, "projectSecretCreate")
end

say "who sees what (projectSecrets: one native batch check per list)"
users.each do |name, token|
  res = gql(%({ projectSecrets(projectPath: "#{project_path}") { nodes { name } } }), token)
  shown = res["errors"] ? outcome(res, nil) : res.dig("data", "projectSecrets", "nodes").map { |n| n["name"] }.inspect
  show name, shown
end

say "updates with metadata check-and-set"
upd = lambda do |who, cas|
  gql(%(mutation { projectSecretUpdate(input: { projectPath: "#{project_path}", name: "API_KEY",
    secret: "k-rotated", metadataCas: #{cas} }) { projectSecret { name metadataVersion } errors } }), users[who])
end
show "maintainer, metadataCas 2", outcome(upd.call("max_maintainer", 2), "projectSecretUpdate")
show "maintainer again, stale metadataCas 2", outcome(upd.call("max_maintainer", 2), "projectSecretUpdate")
show "developer, metadataCas 4", outcome(upd.call("dana_developer", 4), "projectSecretUpdate")

say "deletes"
del = lambda do |who|
  gql(%(mutation { projectSecretDelete(input: { projectPath: "#{project_path}", name: "REVIEW_TOKEN" }) {
    projectSecret { name } errors } }), users[who])
end
show "developer deletes REVIEW_TOKEN", outcome(del.call("dana_developer"), "projectSecretDelete")
show "maintainer deletes REVIEW_TOKEN", outcome(del.call("max_maintainer"), "projectSecretDelete")
show "owner deletes REVIEW_TOKEN", outcome(del.call("olivia_owner"), "projectSecretDelete")

# --- secrets permissions, GitLab 19.4 rules ---
say "GitLab 19.4 permission rules: USER grants need a Reporter..Maintainer member, ROLE only 20/30/40"
user_id = ->(name) { seed.dig("users", name, "id") }
grant = lambda do |who, principal, actions|
  gql(%(mutation { projectSecretsPermissionUpdate(input: { projectPath: "#{project_path}", principal: #{principal},
    actions: [#{actions}] }) { secretsPermission { principal { type id userRoleId } actions } errors } }), users[who])
end
show "owner grants dana_developer READ, READ_VALUE",
     outcome(grant.call("olivia_owner", "{ type: USER, id: #{user_id.call('dana_developer')} }", "READ, READ_VALUE"),
             "projectSecretsPermissionUpdate")
show "owner grants olivia_owner (an Owner)",
     outcome(grant.call("olivia_owner", "{ type: USER, id: #{user_id.call('olivia_owner')} }", "READ"),
             "projectSecretsPermissionUpdate")
show "owner grants ROLE 50", outcome(grant.call("olivia_owner", "{ type: ROLE, id: 50 }", "READ"),
                                     "projectSecretsPermissionUpdate")
show "maintainer grants ROLE 30", outcome(grant.call("max_maintainer", "{ type: ROLE, id: 30 }", "READ"),
                                          "projectSecretsPermissionUpdate")
res = gql(%({ projectSecretsPermissions(projectPath: "#{project_path}") { nodes { principal { type id } actions
  grantedBy { username } } } }), users["max_maintainer"])
show "maintainer lists permissions", outcome(res, "projectSecretsPermissions")
# --- end secrets permissions ---

say "owner grants reporters read (projectSecretsPermissionUpdate), with an expiry"
res = gql(%(mutation { projectSecretsPermissionUpdate(input: { projectPath: "#{project_path}",
  principal: { type: ROLE, id: 20 }, actions: [READ], expiredAt: "#{Time.now.year + 1}-01-01" }) {
  secretsPermission { principal { type id } actions expiredAt } errors } }), users["olivia_owner"])
show "grant", outcome(res, "projectSecretsPermissionUpdate")
res = gql(%({ projectSecrets(projectPath: "#{project_path}") { nodes { name } } }), users["remy_reporter"])
show "reporter now sees", res.dig("data", "projectSecrets", "nodes").map { |n| n["name"] }.inspect
res = gql(%({ projectSecretsPermissions(projectPath: "#{project_path}") { nodes { principal { type id } actions } } }),
          users["remy_reporter"])
show "reporter lists permissions", outcome(res, "projectSecretsPermissions")
res = gql(%({ projectSecretsPermissions(projectPath: "#{project_path}") { nodes { principal { type id } actions } } }),
          users["olivia_owner"])
show "owner lists permissions", outcome(res, "projectSecretsPermissions")

say "group secrets (GitLab's group documents): enable the group, add a protected-branches secret"
group_path = project_path.split("/").first
show "owner enables the group", outcome(gitlab("enable_group_secret_manager.mutation.graphql", users["olivia_owner"],
                                               fullPath: group_path), "groupSecretsManagerInitialize")
20.times do
  st = gitlab("get_group_secret_manager_status.query.graphql", users["olivia_owner"], fullPath: group_path)
  break if st.dig("data", "secretsManager", "status") == "ACTIVE"

  sleep 0.25
end
registry = { fullPath: group_path, name: "REGISTRY_TOKEN", description: "shared by every project", secret: "g-321",
             environment: "production", protected: true }
res = gitlab("create_group_secret.mutation.graphql", users["olivia_owner"], **registry)
show "create REGISTRY_TOKEN (protected branches only)", outcome(res, "secretCreate")
res = gitlab("get_group_secrets.query.graphql", users["olivia_owner"], fullPath: group_path, first: 20)
nodes = res.dig("data", "secretsList", "edges").map do |e|
  e["node"].slice("name", "environment", "protected", "status")
end
show "group secrets", JSON.generate(nodes)

say "rotation reminders: a secret due every 7 days, and the reminder job as it runs 8 days from now"
weekly = { fullPath: project_path, name: "ROTATE_ME", description: "rotate weekly", secret: "rot-8f3a", branch: "*",
           environment: "*", rotationIntervalDays: 7 }
res = gitlab("create_project_secret.mutation.graphql", users["olivia_owner"], **weekly)
show "create ROTATE_ME (every 7 days)", outcome(res, "secretCreate")
reminded = in_app(<<~RUBY)
  require "active_support/testing/time_helpers"
  include ActiveSupport::Testing::TimeHelpers
  travel_to(8.days.from_now) { SecretRotationReminderJob.perform_now }
  puts SecretRotationReminder.includes(:user).map { |r| r.user.username }.sort.join(", ")
RUBY
show "reminder job (8 days later) reminded", reminded.strip
res = gitlab("get_project_secrets_needing_rotation.query.graphql", users["olivia_owner"], fullPath: project_path)
show "secrets needing rotation", JSON.generate(res.dig("data", "secretsNeedingRotation", "nodes"))

# --- OpenBao mode: OpenBao enforces (runner-side fetch, audit counts) ---
# With BAO_ADDR the app's jobs/secrets endpoint refuses (Rails never reads a
# value): jobs are run by bin/runner's logic, which logs in to OpenBao with
# the job's ID token (inline auth) and reads each secret itself.
if ENV["BAO_ADDR"]
  load File.join(APP, "bin", "runner")
  require_relative "openbao_audit_counts"
end
openbao_job = lambda do |job|
  resolved, failed = Runner.resolve(job)
  env = job["variables"].find { |v| v["key"] == "CI_ENVIRONMENT_NAME" }&.fetch("value")
  show "  runner reads from OpenBao for #{job.dig('job_info', 'name')} (#{job.dig('git_info', 'ref')}, " \
       "env #{env.inspect})", "read #{resolved.keys.sort} refused #{failed.keys.sort}"
end
# --- end OpenBao mode ---

# --- pipelines: facts from the server ---
say "pipelines: the request names only the ref; ref type, protection and environments are the server's"
runner_token = seed.fetch("runner_token")
pipeline = lambda do |who, ref, **fake|
  req = Net::HTTP::Post.new("/api/v4/projects/#{project_id}/pipelines", "Content-Type" => "application/json")
  req.body = JSON.generate(ref:, **fake)
  request(req, users[who])
end
run_jobs = lambda do
  loop do
    req = Net::HTTP::Post.new("/api/v4/jobs/request", "Content-Type" => "application/json")
    req.body = JSON.generate(token: runner_token)
    res = HTTP.request(req)
    break unless res.code == "201"

    job = JSON.parse(res.body)
    next openbao_job.call(job) if ENV["BAO_ADDR"] # OpenBao mode: see above

    jwt = job["secrets"].values.filter_map { |s| s.dig("gitlab_secrets_manager", "server", "inline_auth", "jwt") }.first
    query = URI.encode_www_form(job["secrets"].values.filter_map { |s| s.dig("gitlab_secrets_manager", "path") }
                                               .map { |p| ["names[]", p.delete_prefix("explicit/")] })
    status, got = request(Net::HTTP::Get.new("/api/v4/jobs/secrets?#{query}"), jwt)
    env = job["variables"].find { |v| v["key"] == "CI_ENVIRONMENT_NAME" }&.fetch("value")
    show "  runner runs #{job.dig('job_info', 'name')} (#{job.dig('git_info', 'ref')}, env #{env.inspect})",
         "#{status} #{got['secrets']&.keys || got['error']}"
  end
end
[["max_maintainer", "main", {}], ["max_maintainer", "v1.0", {}], ["dana_developer", "feature-x", {}],
 ["dana_developer", "feature-x", { ref_type: "tag", ref_protected: true, environment: "production" }],
 ["dana_developer", "main", {}], ["remy_reporter", "feature-x", {}]].each do |who, ref, fake|
  status, body = pipeline.call(who, ref, **fake)
  label = "#{who} starts a pipeline on #{ref}#{fake.empty? ? '' : " faking #{fake.to_json}"}"
  if status == 201
    jobs = body["jobs"].map do |j|
      "#{j['name']}:#{j['status']}#{j['failure_reason'] ? "(#{j['failure_reason']})" : ''}"
    end
    show label, "201 protected=#{body['protected']} tag=#{body['tag']} jobs #{jobs.join(' ')}"
    run_jobs.call
  else
    show label, "REFUSED #{status} #{body['message'].is_a?(Hash) ? body.dig('message', 'base').join : body['message']}"
  end
end
status, got = request(Net::HTTP::Get.new("/api/v4/jobs/secrets"), "eyJhbGciOiJub25lIn0.eyJwcm9qZWN0X2lkIjoiMSJ9.")
show "job with an unsigned (alg none) token", "#{status} #{got['error']}"
# --- end pipelines ---

# --- attestations: platform-signed provenance of a build job's artifacts ---
say "attestations: a build job with ATTEST_BUILD_ARTIFACTS gets provenance the platform builds and signs"
in_app('Ci::JobDefinition.create!(project: Project.first, name: "package", stage: "build", ' \
       'yaml_variables: [{ "key" => "ATTEST_BUILD_ARTIFACTS", "value" => "true" }])')
require "digest"
package = "acme-api 1.0 release tarball\n" * 100
status, = pipeline.call("max_maintainer", "main")
show "max_maintainer starts a pipeline on main", status
runner_call = lambda do |req, form|
  req.set_form(form.map { |k, v| [k.to_s, v] }, "multipart/form-data")
  res = HTTP.request(req)
  [res.code.to_i, JSON.parse(res.body)]
end
loop do # the runner runs every job; only `package` uploads an artifact
  req = Net::HTTP::Post.new("/api/v4/jobs/request", "Content-Type" => "application/json")
  req.body = JSON.generate(token: runner_token)
  res = HTTP.request(req)
  break unless res.code == "201"

  job = JSON.parse(res.body)
  if job.dig("job_info", "name") == "package"
    up = runner_call.call(Net::HTTP::Post.new("/api/v4/jobs/#{job['id']}/artifacts"),
                          token: runner_token, name: "acme-api-1.0.tar", file: package)
    show "  runner uploads acme-api-1.0.tar", "#{up[0]} sha256 #{up[1]['sha256']}"
  end
  fin = runner_call.call(Net::HTTP::Put.new("/api/v4/jobs/#{job['id']}"), token: runner_token, state: "success")
  show "  runner finishes #{job.dig('job_info', 'name')}", "#{fin[0]} attestations #{fin[1]['attestations'].to_json}"
end
digest = Digest::SHA256.hexdigest(package)
status, listed = request(Net::HTTP::Get.new("/api/v4/projects/#{project_id}/attestations/#{digest}"),
                         users["remy_reporter"])
show "reporter: GET /api/v4/projects/:id/attestations/<sha256>",
     "#{status} #{listed.map { |a| a.slice('iid', 'status', 'predicate_kind', 'build_id') }.to_json}"
status, = request(Net::HTTP::Get.new("/api/v4/projects/#{project_id}/attestations/#{digest}"), nil)
show "anonymous: the same request", "#{status} (the project is not visible)"
req = Net::HTTP::Get.new("/api/v4/projects/#{project_id}/attestations/#{listed.first['iid']}/download")
req["Authorization"] = "Bearer #{users['remy_reporter']}"
envelope = HTTP.request(req).body
_, keys = request(Net::HTTP::Get.new("/-/attestations/keys"), nil)
platform_key = keys["keys"].first
show "platform key (GET /-/attestations/keys)", "#{platform_key['algorithm']} keyid #{platform_key['keyid'][0, 16]}..."
$LOAD_PATH.unshift(File.expand_path("../../../lib", __dir__))
require "pipeline_guard"
require "base64"
statement = JSON.parse(Base64.decode64(JSON.parse(envelope)["payload"]))
source_uri = statement.dig("predicate", "buildDefinition", "externalParameters", "source")
builder_id = statement.dig("predicate", "runDetails", "builder", "id")
check = lambda do |bytes|
  PipelineGuard::SLSA.verify_provenance(envelope, keys: [platform_key["public_key"]], artifact: bytes,
                                                  source_uri:, builder_id:)
  "verified (source #{source_uri}, builder #{builder_id})"
rescue PipelineGuard::SLSA::VerificationError => e
  "REFUSED (#{e.expectation}): #{e.message}"
end
show "verify the downloaded artifact", check.call(package)
show "verify a tampered artifact", check.call(package.sub("1.0", "6.6"))
fixture = File.expand_path("../../../spec/fixtures/sigstore/bundles/dsse_v0.3.json", __dir__)
req = Net::HTTP::Post.new("/api/v4/projects/#{project_id}/attestations", "Content-Type" => "application/json")
req.body = JSON.generate(bundle: File.read(fixture), subject_digest: digest)
status, body = request(req, users["dana_developer"])
show "developer uploads a Sigstore bundle that does not verify here", "#{status} #{body['message']}"
res = gql(%({ projectAttestations(projectPath: "#{project_path}") { nodes { iid signedBy verificationStatus } } }),
          users["remy_reporter"])
show "GraphQL projectAttestations", JSON.generate(res.dig("data", "projectAttestations", "nodes"))
# --- end attestations ---

_, jwks = request(Net::HTTP::Get.new("/oauth/discovery/keys"), nil)
show "JWKS", jwks["keys"].map { |k| "#{k['kty']} #{k['alg']} kid=#{k['kid']}" }.join(", ")

# --- OpenBao mode: what OpenBao's own audit log says ---
if ENV["BAO_ADDR"] && ENV["BAO_AUDIT_LOG"]
  counts = OpenBaoAuditCounts.count(File.read(ENV["BAO_AUDIT_LOG"]))
  say "OpenBao audit log (#{ENV['BAO_AUDIT_LOG']}): who logged in, who read and wrote secret values"
  %w[root app user pipeline api].each do |kind|
    show "#{kind} token", "logins #{counts['logins'][kind].to_i} (refused #{counts['refused_logins'][kind].to_i}), " \
                          "requests #{counts['requests'][kind].to_i}, value reads #{counts['reads'][kind].to_i}, " \
                          "value writes #{counts['writes'][kind].to_i}, " \
                          "refused value reads/writes #{counts['refused_value_ops'][kind].to_i}"
  end
  show "root-token requests after the bootstrap", counts["root_after_bootstrap"]
  abort "the root token was used after the bootstrap" unless counts["root_after_bootstrap"].zero?
end
# --- end OpenBao mode ---

if ENV["BAO_ADDR"]
  say "proof that values live in OpenBao"
  $LOAD_PATH.unshift(File.expand_path("../../../lib", __dir__))
  require "pipeline_guard"
  bao = PipelineGuard::OpenBao::Client.new(address: ENV["BAO_ADDR"], token: ENV.fetch("BAO_TOKEN", nil),
                                           namespace: in_app("print ProjectSecretsManager.first.namespace_path"))
  show "KV secrets/kv/data/explicit/API_KEY", bao.get("secrets/kv/data/explicit/API_KEY").dig("data", "data").keys
  show "policies", bao.list("sys/policies/acl").dig("data", "keys").inspect
  group_ns = in_app("print GroupSecretsManager.first.namespace_path")
  group_bao = PipelineGuard::OpenBao::Client.new(address: ENV["BAO_ADDR"], token: ENV.fetch("BAO_TOKEN", nil),
                                                 namespace: group_ns)
  show "KV #{group_ns} secrets/kv/data/explicit/REGISTRY_TOKEN",
       group_bao.get("secrets/kv/data/explicit/REGISTRY_TOKEN").dig("data", "data").keys
else
  say "at rest in SQLite (#{DB})"
  require "sqlite3"
  db = SQLite3::Database.new(DB)
  db.execute("SELECT name, substr(value_ciphertext, 1, 24) FROM secrets UNION ALL " \
             "SELECT name, substr(value_ciphertext, 1, 24) FROM group_secrets ORDER BY 1").each do |name, ct|
    show name, "#{ct}..."
  end
end

server_log = File.read(log)
leaked = %w[k-123 k-rotated postgres://db/prod s-789 g-321 rot-8f3a].select { |v| server_log.include?(v) }
say "server log (#{log}): #{leaked.empty? ? 'no secret value or token in it' : "LEAKED #{leaked.join(', ')}"}"
exit(leaked.empty? ? 0 : 1)
