# frozen_string_literal: true

require "jwt"
require "openssl"

# Writes the generated policies and pipeline JWT role to a real OpenBao 2.7.2,
# logs in with signed ID tokens, and compares what OpenBao lets each token
# read with what the local model computes.
RSpec.describe "SecretsManager against a real OpenBao", :openbao do
  let(:sm) { PipelineGuard::SecretsManager }
  let(:issuer) { "https://gitlab.example.com" }
  let(:audience) { "http://openbao.example.com" }
  let(:project_id) { 42 }

  let(:seed) { ENV.fetch("DIFF_SEED", RSpec.configuration.seed).to_i }
  let(:rng) { Random.new(seed) }
  let(:root) { OpenBaoServer.client }
  let(:mount) { "pipeline_jwt_#{seed}_#{rng.rand(1 << 30)}" }
  let(:key) { OpenSSL::PKey::RSA.new(2048) }

  def sync(changes)
    changes.each do |name, doc|
      doc ? root.put("sys/policies/acl/#{name}", { policy: doc }) : root.delete("sys/policies/acl/#{name}")
    end
  end

  # Every example starts from a clean slate: CI policy names depend only on
  # scopes, so a policy left by an earlier example would be picked up by
  # this example's templated token policies.
  before do
    names = root.list("sys/policies/acl").dig("data", "keys") || []
    names.select { |n| n.start_with?("pipelines/") }.each { |n| root.delete("sys/policies/acl/#{n}") }
  end

  def ensure_kv
    begin
      root.post("sys/mounts/secrets/kv", { type: "kv", options: { version: "2" } })
    rescue PipelineGuard::OpenBao::ClientError => e
      raise unless e.message.include?("path is already in use")
    end
    wait_for_kv_upgrade
  end

  # A fresh KV v2 mount answers "Upgrading from non-versioned to versioned
  # data" for a moment after it is created.
  def wait_for_kv_upgrade
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 15
    begin
      root.get("secrets/kv/config")
    rescue PipelineGuard::OpenBao::ClientError => e
      raise unless e.message.include?("Upgrading") && Process.clock_gettime(Process::CLOCK_MONOTONIC) < deadline

      sleep 0.1
      retry
    end
  end

  def configure_role(project)
    root.post("sys/auth/#{mount}", { type: "jwt" })
    root.post("auth/#{mount}/config", { jwt_validation_pubkeys: [key.public_key.to_pem], bound_issuer: issuer })
    write_role(project)
  end

  def write_role(project)
    root.post("auth/#{mount}/role/all_pipelines", {
                role_type: "jwt", token_policies_template_claims: true, token_policies: project.token_policies,
                bound_claims: { project_id: project_id.to_s, secrets_manager_scope: "pipeline" },
                bound_audiences: [audience], user_claim: "project_id", token_type: "service",
                token_no_default_policy: true,
                claim_mappings: { user_id: "user_id", project_id: "project_id" }
              })
  end

  def login(claims)
    now = Time.now.to_i
    token = JWT.encode(claims.merge("iss" => issuer, "aud" => audience, "iat" => now, "nbf" => now - 5,
                                    "exp" => now + 300), key, "RS256")
    root.post("auth/#{mount}/login", { role: "all_pipelines", jwt: token }).dig("auth", "client_token")
  end

  def readable_in_openbao(token, names)
    return [] if names.empty? # sys/capabilities refuses an empty path list

    paths = names.flat_map { |n| ["secrets/kv/data/explicit/#{n}", "secrets/kv/metadata/explicit/#{n}"] }
    caps = root.post("sys/capabilities", { token:, paths: })
    names.select do |n|
      data = caps.fetch("secrets/kv/data/explicit/#{n}")
      meta = caps.fetch("secrets/kv/metadata/explicit/#{n}")
      raise "data and metadata disagree for #{n}: #{data} vs #{meta}" unless data == meta

      data.include?("read")
    end.sort
  end

  let(:envs) { ["*", "production", "staging", "review/*", "review/app-*", "*-eu", "a*b*c"] }
  let(:branches) { ["*", "main", "dev", "release/*", "feature/*/x", "*fix*"] }
  let(:job_envs) do
    [nil, "", "production", "staging", "review/", "review/app-1", "review/app-1/eu", "prod-eu", "abc", "ab",
     "a-b-c", "review", "review/*"]
  end
  let(:job_refs) { ["main", "dev", "release/1.0", "release/", "feature/a/x", "feature/x", "hotfix-1", "fix", "v1.0"] }

  # Reads one secret the job may read and fails to read one it may not.
  def read_really(token, allowed, denied)
    return false unless allowed && denied

    as_job = root.with_token(token)
    expect(as_job.get("secrets/kv/data/explicit/#{allowed}").dig("data", "data", "value")).to eq("v")
    expect { as_job.get("secrets/kv/data/explicit/#{denied}") }
      .to raise_error(PipelineGuard::OpenBao::ClientError, /HTTP 403/)
    true
  end

  def random_secret(index)
    sm::Secret.new(name: "S#{index}_#{rng.rand(1000)}", environment: envs.sample(random: rng),
                   branch: branches.sample(random: rng), protected: rng.rand < 0.3)
  end

  def random_claims
    claims = { "sub" => "project_path:g/p:ref_type:branch:ref:main", "secrets_manager_scope" => "pipeline",
               "project_id" => project_id.to_s, "user_id" => rng.rand(1..99).to_s,
               "ref" => job_refs.sample(random: rng), "ref_type" => rng.rand < 0.75 ? "branch" : "tag",
               "ref_protected" => rng.rand < 0.5 ? "true" : "false" }
    env = job_envs.sample(random: rng)
    claims["environment"] = env unless env.nil?
    claims
  end

  it "gives every job token exactly the secrets pipeline_secrets computes" do
    ensure_kv
    project = sm::Project.new(project_id:)
    secrets = Array.new(40) { |i| random_secret(i) }
    secrets.each do |s|
      sync(project.upsert_secret(s))
      root.post("secrets/kv/data/explicit/#{s.name}", { data: { value: "v" } })
    end
    configure_role(project)
    names = secrets.map(&:name)
    mismatches = []
    reads = 0
    40.times do
      claims = random_claims
      local = project.pipeline_secrets(claims)
      expect(sm.pipeline_secrets(secrets, claims, project_id:)).to eq(local)
      token = login(claims)
      remote = readable_in_openbao(token, names)
      mismatches << { claims:, local:, openbao: remote } unless remote == local
      reads += 1 if read_really(token, local.first, (names - local).first)
    end
    expect(mismatches).to be_empty, "seed #{seed} (rerun with DIFF_SEED=#{seed}): #{mismatches.first(3).inspect}"
    expect(reads).to be > 0
  end

  it "stays equal after incremental moves and deletions" do
    ensure_kv
    project = sm::Project.new(project_id:)
    live = {}
    configure_role(project)
    60.times do |i|
      if live.any? && rng.rand < 0.3
        name = live.keys.sample(random: rng)
        live.delete(name)
        changes = project.remove_secret(name)
      else
        secret = random_secret(i)
        # Half the time, move an existing secret to new scopes.
        secret = sm::Secret.new(**secret.to_h, name: live.keys.sample(random: rng)) if live.any? && rng.rand < 0.5
        live[secret.name] = secret
        changes = project.upsert_secret(secret)
      end
      sync(changes)
      write_role(project) if changes.token_policies_changed?
    end
    expect(project.ci_policies).to eq(project.ci_policies) # stable
    remote_names = root.list("sys/policies/acl").dig("data", "keys").select { |n| n.start_with?("pipelines/") }
    expect(project.ci_policies.keys - remote_names).to be_empty
    25.times do
      claims = random_claims
      local = project.pipeline_secrets(claims)
      remote = readable_in_openbao(login(claims), live.keys)
      expect(remote).to eq(local), "seed #{seed} (DIFF_SEED=#{seed}): claims #{claims.inspect}"
    end
  end

  it "gives user permission policies the capabilities they promise" do
    cases = {
      %i[read] => { data: %w[list scan], meta: %w[list read scan] },
      %i[read write] => { data: %w[create list scan update], meta: %w[create list read scan update] },
      %i[read write delete] => { data: %w[create delete list scan update],
                                 meta: %w[create delete list read scan update] },
      %i[read_value] => { data: %w[list scan], meta: %w[list scan], api_data: ["read"], api_meta: ["list"] }
    }
    cases.each_with_index do |(actions, want), i|
      perm = sm::Permission.new(principal_type: :user, principal_id: 1000 + i, actions:,
                                expired_at: Time.now + 86_400, granted_by: 1)
      perm.openbao_policies.each { |name, hcl| root.put("sys/policies/acl/#{name}", { policy: hcl }) }
      caps_for = lambda do |policy|
        created = root.post("auth/token/create", { policies: [policy], no_default_policy: true })
        paths = %w[data metadata detailed-metadata].map { |kind| "secrets/kv/#{kind}/explicit/DB" }
        root.post("sys/capabilities", { token: created.dig("auth", "client_token"), paths: })
      end
      caps = caps_for.call(perm.policy_name)
      expect(caps["secrets/kv/data/explicit/DB"]).to eq(want[:data]), "#{actions}: data #{caps}"
      expect(caps["secrets/kv/metadata/explicit/DB"]).to eq(want[:meta]), "#{actions}: metadata #{caps}"
      expect(caps["secrets/kv/detailed-metadata/explicit/DB"]).to eq(["list"])
      next unless want[:api_data]

      api = caps_for.call("api/#{perm.policy_name}")
      expect(api["secrets/kv/data/explicit/DB"]).to eq(want[:api_data])
      expect(api["secrets/kv/metadata/explicit/DB"]).to eq(want[:api_meta])
    end
  end
end
