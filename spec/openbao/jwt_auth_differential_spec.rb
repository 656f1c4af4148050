# frozen_string_literal: true

require "spec_helper"
require "securerandom"
require "tmpdir" # spec/support/openbao_server.rb uses Dir.tmpdir

# Differential test against a real OpenBao 2.7.2: the same generated roles
# are written to a live JWT auth mount and to a local JwtAuth, the same
# generated tokens are logged in on both, and the outcomes must agree
# (verdict, error text, alias name, display name, metadata).
#
# JWT_AUTH_DIFF_SEED=<n> replays a run; JWT_AUTH_DIFF_LOGINS=<n> sets its size.
# Generators' vocabulary for the differential spec below.
module JwtAuthDiff
  ISSUER = "https://gitlab.example.com"
  AUDIENCES = ["https://bao.example.com", "openbao", "secrets-manager", "https://gitlab.example.com"].freeze
  LOGIN_ERROR = /\APOST \S+: HTTP (\d+): /

  STRING_BOUNDS = {
    "project_id" => [["412"], %w[412 7], ["7"]],
    "ref" => [["main"], %w[feature-42 main], ["develop"]],
    "/nested/tier" => [["production"], ["staging"]],
    "/nested/n" => [[70], ["70"]],
    "/nested/flag" => [[false], ["false"]],
    "ref_protected" => [["true"], ["false"]],
    "secrets_manager_scope" => [["pipeline"], ["user"]],
    "environment" => [["production", "review/x"], ["staging"]],
    "/nested/list" => [["y"], ["z"]],
    "a/b" => [["slash-key"]],
    "runner_id" => [[184], ["184"]],
    "missing_claim" => [["x"]]
  }.freeze
  GLOB_BOUNDS = {
    "ref" => [["feature-*"], ["ma*"], ["*-42"], ["release/*"]],
    "/nested/key" => [["review/*"], ["*x"], ["prod*"]],
    "environment" => [["review/*", "prod*"], ["stag*"]],
    "project_path" => [["Team-X/*"], ["*/api"], ["acme/*"]],
    "/nested/list" => [["*"], ["q*"]],
    "ref_protected" => [["t*"], ["f*"]],
    "missing_claim" => [["*"]]
  }.freeze
  USER_CLAIMS = [
    ["user_login", false], ["sub", false], ["user_email", false], ["/nested/login", true],
    ["nested/login", false], ["runner_id", false], ["no_such_claim", false]
  ].freeze
  MAPPINGS = {
    "ref" => "ref", "/nested/tier" => "tier", "project_path" => "project_path",
    "environment" => "environment", "user_email" => "email", "runner_id" => "runner",
    "/nested/deep/er" => "deep", "absent" => "absent"
  }.freeze
end

RSpec.describe PipelineGuard::OpenBao::JwtAuth, "against a live OpenBao", :openbao do
  seed = Integer(ENV.fetch("JWT_AUTH_DIFF_SEED", Random.new_seed % 1_000_000))
  logins_per_run = Integer(ENV.fetch("JWT_AUTH_DIFF_LOGINS", 360))

  let(:rng) { Random.new(seed) }
  let(:bao) { OpenBaoServer.client }
  let(:mount) { "jwt-diff-#{SecureRandom.hex(4)}" }
  let(:rsa) { OpenSSL::PKey::RSA.new(2048) }
  let(:ec) { OpenSSL::PKey::EC.generate("prime256v1") }
  let(:unknown_rsa) { OpenSSL::PKey::RSA.new(2048) }
  let(:unknown_ec) { OpenSSL::PKey::EC.generate("prime256v1") }
  let(:local) do
    described_class.new(bound_issuer: JwtAuthDiff::ISSUER, jwt_validation_pubkeys: [rsa, ec], mount_path: mount)
  end

  def pick(list) = list[rng.rand(list.size)]
  def chance(probability) = rng.rand < probability

  # ---- role generation ---------------------------------------------------

  def bound_claims(type)
    table = type == "glob" ? JwtAuthDiff::GLOB_BOUNDS : JwtAuthDiff::STRING_BOUNDS
    keys = table.keys.sample(rng.rand(0..3), random: rng)
    keys.to_h do |key|
      values = pick(table[key])
      [key, values.size == 1 && chance(0.5) ? values.first : values]
    end
  end

  def generate_role
    type = pick(%w[string glob])
    user_claim, pointer = pick((JwtAuthDiff::USER_CLAIMS.first(4) * 4) + JwtAuthDiff::USER_CLAIMS)
    role = { "role_type" => "jwt", "policies" => ["default"], "user_claim" => user_claim,
             "bound_claims_type" => type }
    role["user_claim_json_pointer"] = true if pointer
    role["bound_audiences"] = JwtAuthDiff::AUDIENCES.sample(rng.rand(1..2), random: rng) unless chance(0.15)
    role["bound_subject"] = pick(["project_path:Team-X/backend/api:ref_type:branch:ref:main", "other"]) if
      chance(0.15)
    claims = bound_claims(type)
    role["bound_claims"] = claims unless claims.empty?
    role["claim_mappings"] = JwtAuthDiff::MAPPINGS.to_a.sample(rng.rand(1..3), random: rng).to_h if chance(0.4)
    role["groups_claim"] = pick(%w[groups /nested/list project_id runner_id]) if chance(0.1)
    add_leeways(role)
  end

  def add_leeways(role)
    %w[clock_skew_leeway expiration_leeway not_before_leeway].each do |field|
      role[field] = pick([0, -1, 30, 120, "90s"]) if chance(0.4)
    end
    role
  end

  # ---- token generation --------------------------------------------------

  def base_claims
    ref = pick(%w[main feature-42 develop release/1.2])
    {
      "iss" => chance(0.95) ? JwtAuthDiff::ISSUER : "https://evil.example.com",
      "sub" => "project_path:Team-X/backend/api:ref_type:branch:ref:#{ref}",
      "aud" => chance(0.3) ? JwtAuthDiff::AUDIENCES.sample(2, random: rng) : pick(JwtAuthDiff::AUDIENCES),
      "jti" => SecureRandom.uuid,
      "project_id" => pick(["412", "7", 412, %w[1 412]]),
      "project_path" => pick(%w[Team-X/backend/api acme/web]),
      "user_login" => pick(["sample-user", "alice", "bob", "sample-user", "alice", "bob", ""]),
      "user_email" => "sample-user@example.com",
      "ref" => ref,
      "ref_protected" => pick(%w[true false]),
      "runner_id" => 184,
      "secrets_manager_scope" => pick(%w[pipeline pipeline user]),
      "environment" => pick(%w[production staging review/x]),
      "nested" => { "key" => pick(%w[review/x prod-1 other]), "login" => pick(%w[carol dave]),
                    "tier" => pick(%w[production staging]), "n" => 70, "flag" => false,
                    "list" => pick([%w[x y], ["q1"], []]), "deep" => { "er" => "two" } },
      "a/b" => "slash-key",
      "groups" => pick([%w[g1 g2], [], "single", [1]])
    }
  end

  def time_value(at)
    return at unless chance(0.05)

    pick([at.to_s, at + 0.5])
  end

  def generate_claims(now)
    claims = base_claims
    { "iat" => -rng.rand(0..400), "nbf" => rng.rand(-400..200), "exp" => rng.rand(-300..900) }.each do |name, offset|
      claims[name] = time_value(now.to_i + offset) unless chance(0.12)
    end
    claims.keys.sample(rng.rand(0..2), random: rng).each { |k| claims.delete(k) } if chance(0.25)
    claims
  end

  def set_claim(claims, key, value)
    return claims[key] = value unless key.start_with?("/")

    *path, last = key.delete_prefix("/").split("/")
    path.reduce(claims) { |h, k| h[k].is_a?(Hash) ? h[k] : (h[k] = {}) }[last] = value
  end

  # Claims made to pass `body`'s checks, then lightly mutated, so that a
  # good share of logins is accepted and the failures are near misses.
  def conforming_claims(body, now)
    claims = base_claims.merge("iss" => JwtAuthDiff::ISSUER, "iat" => now.to_i - 5, "nbf" => now.to_i - 5,
                               "exp" => now.to_i + 300)
    audiences = body["bound_audiences"]
    audiences ? claims["aud"] = pick(audiences) : claims.delete("aud")
    claims["sub"] = body["bound_subject"] if body["bound_subject"]
    (body["bound_claims"] || {}).each do |key, expected|
      value = pick(Array(expected))
      value = value.gsub("*", pick(["", "zz", "a/b"])) if body["bound_claims_type"] == "glob"
      set_claim(claims, key, value)
    end
    claims.delete(claims.keys.sample(random: rng)) if chance(0.15)
    claims
  end

  def sign(claims)
    key, alg = pick(([[rsa, "RS256"]] * 6) + ([[ec, "ES256"]] * 3) +
                    [[rsa, "PS256"], [unknown_rsa, "RS256"], [unknown_ec, "ES256"]])
    JwtTestSigner.sign(claims, key, alg)
  end

  # ---- comparing ---------------------------------------------------------

  def local_outcome(role, jwt, now)
    local.login(role:, jwt:, now:)
  rescue PipelineGuard::OpenBao::AuthError => e
    e
  end

  # The outcome a few seconds either side must not differ: keeps the
  # comparison away from time boundaries.
  def stable?(role, jwt, now)
    outcomes = [now - 12, now, now + 12].map { |t| local_outcome(role, jwt, t) }
    outcomes.map { |o| o.is_a?(Exception) ? o.message : o.to_h }.uniq.size == 1
  end

  def bao_login(role, jwt)
    bao.post("auth/#{mount}/login", { role:, jwt: })
  rescue PipelineGuard::OpenBao::ClientError => e
    raise unless e.message =~ JwtAuthDiff::LOGIN_ERROR

    [Regexp.last_match(1).to_i, e.message.sub(JwtAuthDiff::LOGIN_ERROR, "")]
  end

  def bao_identity(auth)
    token = bao.post("auth/token/lookup", { token: auth.fetch("client_token") }).fetch("data")
    entity = bao.get("identity/entity/id/#{auth.fetch('entity_id')}").fetch("data")
    alias_name = entity.fetch("aliases").find { |a| a["mount_accessor"] == accessor }&.fetch("name")
    [alias_name, token.fetch("display_name"), auth.fetch("metadata")]
  end

  def accessor
    @accessor ||= bao.get("sys/auth").fetch("data").fetch("#{mount}/").fetch("accessor")
  end

  # When several bound claims or claim mappings fail, OpenBao names the one
  # it meets first in a Go map walk. OpenBao's choice is accepted when the
  # local role restricted to that one claim fails with the same text.
  def alternative_ok?(role_name, body, jwt, now, bao_text)
    field, key = failing_key(bao_text)
    return false unless field && body[field]&.key?(key)

    probe = "#{role_name}-probe"
    local.write_role(probe, **body.merge(field => body[field].slice(key)).transform_keys(&:to_sym))
    result = local_outcome(probe, jwt, now)
    local.delete_role(probe)
    result.is_a?(PipelineGuard::OpenBao::AuthError) && result.message == bao_text
  end

  def failing_key(bao_text)
    case bao_text
    when /\Aerror validating claims: claim "(.*)" / then ["bound_claims", Regexp.last_match(1)]
    when /\Aerror converting claim '(.*)' to string\z/ then ["claim_mappings", Regexp.last_match(1)]
    end
  end

  # Compares one login; returns a description of the difference or nil.
  def difference(name, jwt, mine, theirs)
    return accepted_difference(mine, theirs.fetch("auth")) if theirs.is_a?(Hash)

    status, text = theirs
    return "OpenBao refused (#{status} #{text}), local accepted" unless mine.is_a?(Exception)
    if mine.message != text && !alternative_ok?(name, roles[name], jwt, Time.now, text)
      return "error #{mine.message.inspect} != OpenBao #{text.inspect}"
    end

    "OpenBao status #{status}, local kind #{mine.kind}" if (status == 500) != (mine.kind == :internal)
  end

  def accepted_difference(mine, auth)
    return "OpenBao accepted, local refused: #{mine.message}" if mine.is_a?(Exception)

    want = bao_identity(auth)
    got = [mine.alias_name, mine.display_name, mine.metadata]
    "identity #{got} != #{want}" unless got == want
  end

  def roles = @roles ||= {}

  it "refuses an empty user claim with OpenBao's text and status, after the bound claims" do
    bao.post("sys/auth/#{mount}", { type: "jwt" })
    bao.post("auth/#{mount}/config", { bound_issuer: JwtAuthDiff::ISSUER, jwt_validation_pubkeys: [rsa.public_to_pem] })
    {
      "plain" => { "user_claim" => "user_login" },
      "pointer" => { "user_claim" => "/nested/login", "user_claim_json_pointer" => true }
    }.each do |name, fields|
      body = { "role_type" => "jwt", "bound_audiences" => ["openbao"], "bound_claims" => { "project_id" => "412" } }
             .merge(fields)
      bao.post("auth/#{mount}/role/#{name}", body)
      local.write_role(name, **body.transform_keys(&:to_sym))
      now = Time.now
      claims = { "iss" => JwtAuthDiff::ISSUER, "aud" => "openbao", "sub" => "s", "iat" => now.to_i - 5,
                 "exp" => now.to_i + 300, "project_id" => "412", "user_login" => "", "nested" => { "login" => "" } }
      [claims, claims.merge("project_id" => "7")].each do |c|
        jwt = JwtTestSigner.sign(c, rsa, "RS256")
        status, text = bao_login(name, jwt)
        mine = local_outcome(name, jwt, now)
        expect(mine).to be_a(PipelineGuard::OpenBao::AuthError)
        expect(mine.message).to eq(text)
        expect(mine.kind == :internal).to eq(status == 500)
      end
    end
  end

  it "agrees with OpenBao on generated roles and tokens" do
    bao.post("sys/auth/#{mount}", { type: "jwt" })
    bao.post("auth/#{mount}/config", { bound_issuer: JwtAuthDiff::ISSUER,
                                       jwt_validation_pubkeys: [rsa.public_to_pem, ec.public_to_pem] })
    refused = 0
    30.times do |i|
      name = "role#{i}"
      body = generate_role
      bao_error = begin
        bao.post("auth/#{mount}/role/#{name}", body)
        nil
      rescue PipelineGuard::OpenBao::ClientError => e
        e.message.sub(JwtAuthDiff::LOGIN_ERROR, "")
      end
      local_error = begin
        local.write_role(name, **body.transform_keys(&:to_sym))
        nil
      rescue PipelineGuard::OpenBao::RoleError => e
        e.message
      end
      expect(local_error).to eq(bao_error), "seed #{seed}: role #{name} #{body.to_json}"
      bao_error ? refused += 1 : roles[name] = body
    end
    expect(roles.size).to be >= 10, "seed #{seed}: too few roles accepted (#{refused} refused)"

    counts = Hash.new(0)
    unstable = 0
    reasons = Hash.new(0)
    mismatches = []
    while counts[:accepted] + counts[:rejected] < logins_per_run
      name = pick(roles.keys)
      now = Time.now
      jwt = sign(chance(0.6) ? conforming_claims(roles[name], now) : generate_claims(now))
      (unstable += 1) && next unless stable?(name, jwt, now)

      mine = local_outcome(name, jwt, Time.now)
      theirs = bao_login(name, jwt)
      counts[theirs.is_a?(Hash) ? :accepted : :rejected] += 1
      reasons[theirs.last[0, 60]] += 1 unless theirs.is_a?(Hash)
      diff = difference(name, jwt, mine, theirs)
      mismatches << "seed #{seed}: role #{name} #{roles[name].to_json} jwt #{jwt}: #{diff}" if diff
    end
    top = reasons.sort_by { |_, n| -n }.first(12).to_h
    warn "jwt auth differential (seed #{seed}): #{counts} unstable=#{unstable} #{top}" if ENV["VERBOSE"]
    expect(mismatches).to be_empty, "seed #{seed}, #{mismatches.size} mismatches:\n#{mismatches.first(10).join("\n")}"
    expect(counts[:accepted]).to be >= logins_per_run / 10, "seed #{seed}: #{counts}"
    expect(counts[:rejected]).to be >= logins_per_run / 10, "seed #{seed}: #{counts}"
  end
end
