# frozen_string_literal: true

# OpenBao JWT auth login: PipelineGuard::OpenBao::JwtAuth locally against
# what a Rails app does today, an HTTP round trip to OpenBao's
# `auth/<mount>/login` on a dev server started for this run (skipped, with
# the reason, without `bao`), and against verifying the same RS256 token with
# the jwt gem (signature and registered claims only, no role rules). CEL
# roles: GitLab's project pipeline program (SecretsManager::CelPrograms)
# through JwtAuth#cel_login against OpenBao's `auth/<mount>/cel/login`, and
# cel_login_many against a loop of cel_login, by batch size.
require_relative "support"
require "jwt"
require "openssl"
require "pipeline_guard"

S = BenchSuite
Q = S.quick?
ISSUER = "https://gitlab.example.com"
BATCH = Q ? 16 : 200
JWT_OPTIONS = { algorithm: "RS256", iss: ISSUER, verify_iss: true, aud: "openbao", verify_aud: true }.freeze

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
batch = [token] * BATCH

auth = PipelineGuard::OpenBao::JwtAuth.new(bound_issuer: ISSUER, jwt_validation_pubkeys: [key])
auth.write_role("all_pipelines", **role)
local_role = auth.role("all_pipelines")
raise "local login failed" unless auth.login(role: "all_pipelines", jwt: token).alias_name == "alice"
raise "jwt gem disagrees" unless JWT.decode(token, public_key, true, **JWT_OPTIONS).first == claims

cel_role = PipelineGuard::SecretsManager::CelPrograms.then do |programs|
  programs.role(programs.project_pipeline(project_id: 42, aud: "openbao"), aud: "openbao")
end
local_cel_role = auth.write_cel_role("all_pipelines", **cel_role)
raise "local CEL login failed" unless auth.cel_login(role: "all_pipelines", jwt: token).alias_name == "pipeline:42"

login = -> { auth.login(role: "all_pipelines", jwt: token) }
cel_login = -> { auth.cel_login(role: "all_pipelines", jwt: token) }
r = S.ips("login" => login,
          "login_many" => -> { auth.login_many(role: "all_pipelines", jwts: batch) },
          "login loop" => -> { batch.map { |t| auth.login(role: "all_pipelines", jwt: t) } },
          "authenticate" => -> { local_role.authenticate(claims) },
          "jwt gem" => -> { JWT.decode(token, public_key, true, **JWT_OPTIONS) },
          "cel_login" => cel_login,
          "cel_login_many" => -> { auth.cel_login_many(role: "all_pipelines", jwts: batch) },
          "cel_login loop" => -> { batch.map { |t| auth.cel_login(role: "all_pipelines", jwt: t) } },
          "cel authenticate" => -> { local_cel_role.authenticate(claims) })

S.compare(
  "JwtAuth#login (RS256, role rules) vs jwt gem decode (no role rules)",
  ours: ["JwtAuth#login", r["login"]], base: ["jwt gem #{JWT::VERSION::STRING} decode", r["jwt gem"]]
)
S.compare(
  "JwtAuth#login_many #{BATCH} tokens vs a loop of login",
  ours: ["login_many", r["login_many"]], base: ["loop of login", r["login loop"]], target: ">= 1.5x on 2 cores",
  min: 1.5
)
S.compare(
  "JwtAuth#cel_login_many #{BATCH} tokens vs a loop of cel_login",
  ours: ["cel_login_many", r["cel_login_many"]], base: ["loop of cel_login", r["cel_login loop"]],
  target: ">= 1.5x on 2 cores", min: 1.5
)
{ "authenticate" => "JwtAuth role #authenticate, claims only (no signature)",
  "cel authenticate" => "JwtAuth CEL role #authenticate, claims only (GitLab pipeline program)" }.each do |k, text|
  S.emit(kind: "absolute", scenario: text, us: 1e6 / r[k], target: "informational", met: nil)
end

# cel_login_many by batch size against a loop of cel_login over the same
# tokens: best of alternating runs, so both see the same load.
(Q ? [1, 8, 64] : [1, 8, 64, 512, 4096]).each do |size|
  tokens = [token] * size
  sides = { many: -> { auth.cel_login_many(role: "all_pipelines", jwts: tokens) },
            loop: -> { tokens.each { |t| auth.cel_login(role: "all_pipelines", jwt: t) } } }
  sides.each_value(&:call) # untimed: the first call at a size warms up
  best = Hash.new(Float::INFINITY)
  (Q ? 1 : [10, 2000 / size].min.clamp(3, 10)).times do
    sides.each { |side, blk| best[side] = [best[side], S.seconds_per_call { blk.call }].min }
  end
  S.point("cel_login_batch", "JwtAuth#cel_login_many per token", size, best[:many] * 1e6 / size, unit: "tokens")
  S.point("cel_login_batch", "loop of JwtAuth#cel_login per token", size, best[:loop] * 1e6 / size, unit: "tokens")
end

BenchOpenBao.run do |bao|
  unless bao
    reason = "no OpenBao 2.7.2 `bao` binary (bin/bao-path failed)"
    S.skip("JwtAuth#login vs OpenBao auth/jwt/login", reason)
    next S.skip("JwtAuth#cel_login vs OpenBao auth/jwt/cel/login", reason)
  end

  bao.post("sys/auth/jwt", { type: "jwt" })
  bao.post("auth/jwt/config", { bound_issuer: ISSUER, jwt_validation_pubkeys: [key.public_to_pem] })
  bao.post("auth/jwt/role/all_pipelines", role)
  bao.post("auth/jwt/cel/role/all_pipelines", cel_role.transform_keys(&:to_s))
  anonymous = bao.with_token(nil)
  remote_login = -> { anonymous.post("auth/jwt/login", { role: "all_pipelines", jwt: token }) }
  remote_cel_login = -> { anonymous.post("auth/jwt/cel/login", { role: "all_pipelines", jwt: token }) }
  # Same answers before timing: both sides accept the token as the same entity.
  raise "OpenBao login disagrees" unless remote_login.call.dig("auth", "metadata", "ref") == "main"
  raise "OpenBao CEL login failed" unless remote_cel_login.call["auth"]

  # Both sides in the same rounds, so they see the same load.
  h = S.ips("login" => login, "cel_login" => cel_login, "http login" => remote_login, "http cel" => remote_cel_login)
  S.compare(
    "JwtAuth#login vs OpenBao auth/jwt/login (loopback HTTP)",
    ours: ["JwtAuth#login", h["login"]], base: ["OpenBao auth/jwt/login", h["http login"]]
  )
  S.compare(
    "JwtAuth#cel_login vs OpenBao auth/jwt/cel/login (loopback HTTP)",
    ours: ["JwtAuth#cel_login", h["cel_login"]], base: ["OpenBao auth/jwt/cel/login", h["http cel"]],
    target: ">= 20x", min: 20
  )
end
