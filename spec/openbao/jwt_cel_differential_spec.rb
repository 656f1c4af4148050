# frozen_string_literal: true

require "spec_helper"
require "securerandom"
require "tmpdir" # spec/support/openbao_server.rb uses Dir.tmpdir
require_relative "../support/jwt_test_signer"

# Differential test against a real OpenBao 2.7.2: GitLab's CEL programs and
# seeded random programs are written to a live JWT auth mount and to a local
# JwtAuth, the same GitLab-shaped (and mutated) tokens are logged in on both
# through `cel/login`, and the outcomes must agree: verdict, status class,
# error text, alias name, display name, metadata and policies.
#
# CEL_DIFF_SEED=<n> replays a run; CEL_DIFF_LOGINS=<n> sets its size.
module CelDiff
  ISSUER = "https://gitlab.example.com"
  AUD = "https://openbao.example.com"
  LOGIN_ERROR = /\A(?:POST|PUT) \S+: HTTP (\d+): /

  # Conditions and values the random programs are built from: the claim
  # vocabulary GitLab's tokens carry, in the shapes the programs use.
  CONDITIONS = [
    "claims.project_id == \"42\"", "'project_id' in claims", "claims.ref.startsWith(\"feature\")",
    "claims.?environment.orValue(\"\") != \"\"", "claims.user_login.matches(\"^[a-z]+$\")",
    "size(claims.project_group_ids) > 1", "claims.project_group_ids.exists(g, string(g) == \"7\")",
    "claims.project_group_ids.all(g, string(g).size() < 4)", "claims.runner_id < 100",
    "string(claims.runner_id) == \"184\"", "int(claims.runner_id) % 2 == 0", "claims.ref_type == \"branch\"",
    "check_valid_email(claims.user_email)", "claims.secrets_manager_scope in [\"pipeline\", \"user\"]",
    "operation == \"update\"", "now > timestamp(\"2020-01-01T00:00:00Z\")", "has(claims.nested)",
    "claims.nested.tier == \"production\"", "claims.groups.size() == 0",
    "sets.contains(claims.groups, [\"ops\"])", "claims.ref.lowerAscii() == claims.ref"
  ].freeze
  STRINGS = [
    "claims.ref", "string(claims.project_id)", "\"p-\" + claims.ref", "claims.user_login",
    "\"%x\".format([claims.ref])", "claims.ref.split(\"/\")[0]", "string(claims.runner_id)",
    "claims.?environment.orValue(\"none\")", "claims.ref.replace(\"/\", \"-\")", "claims.user_login.upperAscii()"
  ].freeze
  POLICIES = [
    "[\"pipelines/global\"]", "[claims.ref]", "claims.project_group_ids.map(g, \"g/\" + string(g))",
    "[\"Admin\", \" ops \", \"\"]", "claims.groups", "[]", "[\"default\", \"a\"] + [\"b\"]"
  ].freeze
end

RSpec.describe PipelineGuard::OpenBao::JwtAuth, "CEL roles against a live OpenBao", :openbao do
  seed = Integer(ENV.fetch("CEL_DIFF_SEED", Random.new_seed % 1_000_000))
  logins_per_run = Integer(ENV.fetch("CEL_DIFF_LOGINS", 240))

  let(:rng) { Random.new(seed) }
  let(:bao) { OpenBaoServer.client }
  let(:mount) { "cel-diff-#{SecureRandom.hex(4)}" }
  let(:rsa) { OpenSSL::PKey::RSA.new(2048) }
  let(:local) { described_class.new(bound_issuer: CelDiff::ISSUER, jwt_validation_pubkeys: [rsa], mount_path: mount) }
  let(:programs) { PipelineGuard::SecretsManager::CelPrograms }

  def pick(list) = list[rng.rand(list.size)]
  def chance(probability) = rng.rand < probability

  def gitlab_roles
    aud = CelDiff::AUD
    {
      "project-pipeline" => programs.project_pipeline(project_id: 42, aud:),
      "project-user" => programs.project_user(project_id: 42, aud:),
      "project-user-groups" => programs.project_user(project_id: 42, aud:, groups: true),
      "project-api" => programs.project_api(project_id: 42, aud:),
      "group-pipeline" => programs.group_pipeline(group_id: 7, aud:),
      "group-user" => programs.group_user(group_id: 7, aud:),
      "group-api" => programs.group_api(group_id: 7, aud:)
    }.transform_values { |program| { "cel_program" => program, "bound_audiences" => [aud] } }
  end

  # pb.Auth fields a random program may set, each with its chance.
  def auth_fields
    [
      [0.7, -> { "display_name: #{pick(CelDiff::STRINGS)}" }],
      [0.5, -> { "alias: logical.Alias{name: #{pick(CelDiff::STRINGS)}}" }],
      [0.8, -> { "policies: #{pick(CelDiff::POLICIES)}" }],
      [0.5, -> { "metadata: {\"ref\": #{pick(CelDiff::STRINGS)}, \"k\": \"v\"}" }],
      [0.1, -> { "no_default_policy: true" }],
      [0.2, -> { "lease_options: pb.LeaseOptions{TTL: #{rng.rand(1..7200)} * 1000000000, issue_time: now}" }],
      [0.2, -> { "num_uses: #{rng.rand(0..5)}" }]
    ]
  end

  def auth_literal
    fields = auth_fields.filter_map { |probability, field| field.call if chance(probability) }
    "pb.Auth{#{fields.join(', ')}}"
  end

  def random_role
    variables = Array.new(rng.rand(0..3)) { |i| { "name" => "v#{i}", "expression" => pick(CelDiff::CONDITIONS) } }
    refusal = pick(["false", "\"refused: \" + #{pick(CelDiff::STRINGS)}", "\"no\""])
    cond = variables.empty? || chance(0.3) ? pick(CelDiff::CONDITIONS) : variables.map { |v| v["name"] }.join(" && ")
    body = { "cel_program" => { "variables" => variables, "expression" => "#{cond} ? #{auth_literal} : #{refusal}" } }
    body["bound_audiences"] = [CelDiff::AUD, "openbao"].first(rng.rand(1..2)) if chance(0.5)
    body
  end

  def claims(now)
    c = {
      "iss" => CelDiff::ISSUER, "aud" => CelDiff::AUD, "iat" => now.to_i - 5, "nbf" => now.to_i - 5,
      "exp" => now.to_i + 300, "sub" => pick(["project_path:g/p:ref_type:branch:ref:main", "user:alice"]),
      "project_id" => pick(["42", "7", 42]), "user_id" => pick(["5", 5]), "user_login" => pick(%w[alice Bob]),
      "user_email" => pick(["alice@example.com", "nope"]), "namespace_id" => "3", "role_id" => "30",
      "group_id" => pick(%w[7 8]), "ref" => pick(["main", "feature/x-1", "release/ü"]), "ref_type" => "branch",
      "ref_protected" => pick(%w[true false]), "runner_id" => pick([184, 5.5, "184"]),
      "secrets_manager_scope" => pick(%w[pipeline user api]), "project_group_ids" => pick([["7"], [7, "9"], []]),
      "groups" => pick([["ops"], [], %w[ops dev]]), "environment" => pick(["production", "review/mr-1", ""]),
      "pipeline_id" => "11", "job_id" => "12", "nested" => { "tier" => pick(%w[production staging]) }
    }
    mutate(c)
  end

  def mutate(claims)
    rng.rand(0..2).times do
      key = pick(%w[project_id user_id environment ref project_group_ids groups aud sub runner_id
                    secrets_manager_scope])
      case rng.rand(4)
      when 0 then claims.delete(key)
      when 1 then claims[key] = nil
      when 2 then claims[key] = [claims[key]].compact
      else claims[key] = 12_345
      end
    end
    claims
  end

  def bao_call
    [:ok, yield]
  rescue PipelineGuard::OpenBao::ClientError => e
    raise unless e.message =~ CelDiff::LOGIN_ERROR

    [Regexp.last_match(1).to_i, e.message.sub(CelDiff::LOGIN_ERROR, "")]
  end

  def local_outcome(role, jwt, now)
    local.cel_login(role:, jwt:, now:)
  rescue PipelineGuard::OpenBao::AuthError => e
    e
  end

  # OpenBao's identity for an accepted login; revokes the token and deletes
  # the entity afterwards (alias names are case-insensitive in OpenBao).
  def bao_identity(auth)
    token = bao.post("auth/token/lookup", { token: auth.fetch("client_token") }).fetch("data")
    alias_name = nil
    if (entity_id = auth["entity_id"]) && !entity_id.empty?
      entity = bao.get("identity/entity/id/#{entity_id}").fetch("data")
      alias_name = entity.fetch("aliases").first&.fetch("name")
      bao.delete("identity/entity/id/#{entity_id}")
    end
    bao.post("auth/token/revoke", { token: auth.fetch("client_token") })
    [alias_name, token.fetch("display_name"), auth["metadata"], auth["policies"], auth["lease_duration"]]
  end

  def difference(mine, theirs)
    status, answer = theirs
    return accepted_difference(mine, answer.fetch("auth")) if status == :ok
    return "OpenBao refused (#{status} #{answer}), local accepted" unless mine.is_a?(Exception)
    return "error #{mine.message.inspect} != OpenBao #{answer.inspect}" unless mine.message == answer

    "OpenBao status #{status}, local kind #{mine.kind}" if (status == 500) != (mine.kind == :internal)
  end

  def accepted_difference(mine, auth)
    return "OpenBao accepted, local refused: #{mine.message}" if mine.is_a?(Exception)

    want = bao_identity(auth)
    got = [mine.alias_name, mine.display_name, mine.metadata.empty? ? nil : mine.metadata, mine.policies,
           mine.lease_duration]
    "login #{got} != OpenBao #{want}" unless got == want
  end

  it "agrees with OpenBao on GitLab's programs and random programs and claims" do
    started = Time.now
    bao.post("sys/auth/#{mount}", { type: "jwt" })
    bao.post("auth/#{mount}/config", { bound_issuer: CelDiff::ISSUER, jwt_validation_pubkeys: [rsa.public_to_pem] })
    roles = gitlab_roles.merge(Array.new(25) { |i| ["rnd#{i}", random_role] }.to_h)
    accepted_roles = []
    mismatches = []
    roles.each do |name, body|
      theirs = bao_call { bao.post("auth/#{mount}/cel/role/#{name}", body) }
      mine = begin
        local.write_cel_role(name, **body.transform_keys(&:to_sym))
        nil
      rescue PipelineGuard::OpenBao::RoleError => e
        e.message
      end
      if theirs.first == :ok
        mismatches << "seed #{seed}: role #{name} refused locally: #{mine}" if mine
        accepted_roles << name unless mine
      elsif mine != theirs.last
        mismatches << "seed #{seed}: role #{name} #{body.to_json}: #{mine.inspect} != OpenBao #{theirs.last.inspect}"
      end
    end
    expect(accepted_roles.size).to be >= 20, "seed #{seed}: #{mismatches.first(5).join("\n")}"

    counts = Hash.new(0)
    logins_per_run.times do
      name = pick(accepted_roles)
      now = Time.now
      jwt = JwtTestSigner.sign(claims(now), rsa, "RS256")
      mine = local_outcome(name, jwt, now)
      theirs = bao_call { bao.post("auth/#{mount}/cel/login", { role: name, jwt: }) }
      counts[theirs.first == :ok ? :accepted : :rejected] += 1
      diff = difference(mine, theirs)
      mismatches << "seed #{seed}: role #{name} #{roles[name].to_json}\n  jwt #{jwt}\n  #{diff}" if diff
    end
    warn "cel differential (seed #{seed}): #{counts} in #{(Time.now - started).round(1)} s" if ENV["VERBOSE"]
    expect(mismatches).to be_empty, "seed #{seed}, #{mismatches.size} mismatches:\n#{mismatches.first(8).join("\n")}"
    expect(counts[:accepted]).to be >= logins_per_run / 10, "seed #{seed}: #{counts}"
    expect(counts[:rejected]).to be >= logins_per_run / 10, "seed #{seed}: #{counts}"
  end
end
