# frozen_string_literal: true

# For every job of a random scenario (a project and its group, protected
# branches, tags and environments, secrets with exact and wildcard scopes),
# the gem's local answer equals OpenBao's: the pipeline CEL login done
# locally (JwtAuth#cel_login on the CEL role the app wrote) gives the same
# policies as OpenBao's live cel/login, and ACL#capabilities over those
# policies the same capabilities on every secret as sys/capabilities-self
# with the token OpenBao issued.
module PredictionScenario
  PROGRAMS = PipelineGuard::SecretsManager::CelPrograms
  ENVIRONMENTS = ["*", "production", "staging", "review/*", "review/app-1"].freeze
  BRANCHES = ["*", "main", "feature", "release/*", "release/2.0"].freeze
  JOB_ENVIRONMENTS = [nil, "production", "staging", "review/app-1", "review/other"].freeze
  REFS = [%w[main branch], %w[feature branch], %w[release/2.0 branch], %w[v1.0 tag]].freeze
end

RSpec.describe "pipeline access prediction", :openbao_app do
  let(:seed) { Integer(ENV.fetch("PREDICTION_SEED") { Random.new_seed % 100_000 }) }
  let(:rng) { Random.new(seed) }
  let(:maintainer) { user_with(50, path: group.full_path) } # group secrets: Owner by default

  def build_scenario
    PredictionScenario::REFS.each { |name, type| add_ref(name, ref_type: type) }
    protect_branch("main") if rng.rand < 0.7
    protect_branch("release/*") if rng.rand < 0.5
    protect_tag("v*") if rng.rand < 0.5
    protect_environment("production") if rng.rand < 0.7
    enable_secrets_manager!(group)
    enable_secrets_manager!(project)
    8.times do |i|
      Secrets::CreateService.new(project, maintainer).execute(
        name: "P#{i}", value: "v#{i}", environment: PredictionScenario::ENVIRONMENTS.sample(random: rng), branch: PredictionScenario::BRANCHES.sample(random: rng)
      ).then { |r| expect(r).to be_success, r.error_messages.inspect }
    end
    4.times do |i|
      Secrets::CreateService.new(group, maintainer).execute(
        name: "G#{i}", value: "g#{i}", environment: PredictionScenario::ENVIRONMENTS.sample(random: rng), protected: rng.rand < 0.5
      ).then { |r| expect(r).to be_success, r.error_messages.inspect }
    end
    PredictionScenario::JOB_ENVIRONMENTS.each_with_index do |env, i|
      define_job("job#{i}", environment: env, secrets: { "P0" => { "gitlab_secrets_manager" => { "name" => "P0" } } })
    end
  end

  def jobs
    PredictionScenario::REFS.flat_map do |name, _|
      status, body = create_pipeline(name, as: maintainer)
      expect(status).to eq(201), body.inspect
      drain_jobs.compact
    end
  end

  def local_auth(owner)
    auth = PipelineGuard::OpenBao::JwtAuth.new(bound_issuer: IdTokens::ISSUER,
                                               jwt_validation_pubkeys: [IdTokens.public_key_pem])
    program = if owner.is_a?(Group)
                PredictionScenario::PROGRAMS.group_pipeline(group_id: owner.id, aud: bao.address)
              else
                PredictionScenario::PROGRAMS.project_pipeline(project_id: owner.id, aud: bao.address)
              end
    auth.write_cel_role("all_pipelines", **PredictionScenario::PROGRAMS.role(program, aud: bao.address), **OpenBaoProvisioner::CEL_LEEWAYS)
    auth
  end

  # The policies the app synced, as OpenBao holds them.
  def local_policies(client)
    client.list("sys/policies/acl").dig("data", "keys").reject { |n| %w[default root].include?(n) }
          .to_h { |n| [n, PipelineGuard::OpenBao::Policy.parse(client.get("sys/policies/acl/#{n}").dig("data", "policy"), name: n)] }
  end

  def compare(owner, names, jwt, mismatches)
    ns = owner.secrets_manager.namespace_path
    root = PipelineGuard::OpenBao::Client.new(address: bao.address, token: bao.token, namespace: ns)
    @policies ||= {}
    policies = (@policies[ns] ||= local_policies(root))
    @auths ||= {}
    auth = (@auths[ns] ||= local_auth(owner))
    paths = names.map { |n| "secrets/kv/data/explicit/#{n}" }

    login = auth.cel_login(role: "all_pipelines", jwt:)
    acl = PipelineGuard::OpenBao::ACL.new(login.policies.filter_map { |p| policies[p] })
    local = acl.capabilities_many(paths)

    live_login = PipelineGuard::OpenBao::Client.new(address: bao.address, namespace: ns)
                                               .post("auth/pipeline_jwt/cel/login", { role: "all_pipelines", jwt: })
    token = live_login.dig("auth", "client_token")
    live = PipelineGuard::OpenBao::Client.new(address: bao.address, token:, namespace: ns)
                                         .post("sys/capabilities-self", { paths: })
    mismatches << [ns, login.policies, live_login.dig("auth", "policies")] if login.policies != live_login.dig("auth", "policies")
    paths.each do |path|
      mismatches << [ns, path, local[path], live[path]] unless local[path] == live[path].sort
    end
    paths.size
  end

  it "predicts OpenBao's pipeline login and capabilities for every job" do
    build_scenario
    project_names = project.secrets.order(:name).pluck(:name)
    group_names = GroupSecret.where(group_id: group.id).order(:name).pluck(:name)
    mismatches = []
    checked = 0
    readable = 0
    jobs.each do |payload|
      jwt = payload.dig("secrets", "P0", "gitlab_secrets_manager", "server", "inline_auth", "jwt")
      checked += compare(project, project_names, jwt, mismatches)
      checked += compare(group, group_names, jwt, mismatches)
      readable += Runner.resolve(payload)[0].size
    end
    expect(mismatches).to eq([]), "seed #{seed}: #{mismatches.first(5).inspect}"
    expect(checked).to be >= 100
    expect(readable).to be_positive if project.secrets.exists?(environment: "*", branch: "*", name: "P0")
  end
end
