# frozen_string_literal: true

# For every job of a random scenario (a project and its group, protected
# branches, tags and environments, secrets with exact and wildcard scopes),
# the gem's local answer equals OpenBao's: the pipeline CEL login done
# locally (JwtAuth#cel_login on the CEL role the app wrote) gives the same
# policies as OpenBao's live cel/login, and ACL#capabilities over those
# policies the same capabilities on every secret as sys/capabilities-self
# with the token OpenBao issued. PREDICTION_SEED=<n> replays a scenario.
module PredictionScenario
  PROGRAMS = PipelineGuard::SecretsManager::CelPrograms
  ENVIRONMENTS = ["*", "production", "staging", "review/*", "review/app-1"].freeze
  BRANCHES = ["*", "main", "feature", "release/*", "release/2.0"].freeze
  JOB_ENVIRONMENTS = [nil, "production", "staging", "review/app-1", "review/other"].freeze
  REFS = [%w[main branch], %w[feature branch], %w[release/2.0 branch], %w[v1.0 tag]].freeze

  # The answer computed locally: [policies, {path => capabilities}].
  Local = Struct.new(:auth, :policies) do
    def answer(jwt, paths)
      login = auth.cel_login(role: "all_pipelines", jwt:)
      acl = PipelineGuard::OpenBao::ACL.new(login.policies.filter_map { |p| policies[p] })
      [login.policies, acl.capabilities_many(paths)]
    end
  end

  def self.program(owner, aud)
    return PROGRAMS.group_pipeline(group_id: owner.id, aud:) if owner.is_a?(Group)

    PROGRAMS.project_pipeline(project_id: owner.id, aud:)
  end
end

RSpec.describe "pipeline access prediction", :openbao_app do
  let(:seed) { Integer(ENV.fetch("PREDICTION_SEED") { Random.new_seed % 100_000 }) }
  let(:rng) { Random.new(seed) }
  let(:owner_user) { user_with(50, path: group.full_path) } # group secrets: Owner by default

  def pick(list) = list.sample(random: rng)

  def build_scenario
    PredictionScenario::REFS.each { |name, type| add_ref(name, ref_type: type) }
    protect_branch("main") if rng.rand < 0.7
    protect_branch("release/*") if rng.rand < 0.5
    protect_tag("v*") if rng.rand < 0.5
    protect_environment("production") if rng.rand < 0.7
    enable_secrets_manager!(group)
    enable_secrets_manager!(project)
    8.times { |i| create(project, "P#{i}", branch: pick(PredictionScenario::BRANCHES)) }
    4.times { |i| create(group, "G#{i}", protected: rng.rand < 0.5) }
    PredictionScenario::JOB_ENVIRONMENTS.each_with_index do |env, i|
      define_job("job#{i}", environment: env, secrets: { "P0" => { "gitlab_secrets_manager" => { "name" => "P0" } } })
    end
  end

  def create(owner, name, **scope)
    environment = pick(PredictionScenario::ENVIRONMENTS)
    result = Secrets::CreateService.new(owner, owner_user).execute(name:, value: "v-#{name}", environment:, **scope)
    expect(result).to be_success, result.error_messages.inspect
  end

  def jobs
    PredictionScenario::REFS.flat_map do |name, _|
      status, body = create_pipeline(name, as: owner_user)
      expect(status).to eq(201), body.inspect
      drain_jobs.compact
    end
  end

  # The CEL role as the app wrote it, and the policies as OpenBao holds them.
  def local_for(owner)
    ns = owner.secrets_manager.namespace_path
    auth = PipelineGuard::OpenBao::JwtAuth.new(bound_issuer: IdTokens::ISSUER,
                                               jwt_validation_pubkeys: [IdTokens.public_key_pem])
    role = PredictionScenario::PROGRAMS.role(PredictionScenario.program(owner, bao.address), aud: bao.address)
    auth.write_cel_role("all_pipelines", **role, **OpenBaoProvisioner::CEL_LEEWAYS)
    root = PipelineGuard::OpenBao::Client.new(address: bao.address, token: bao.token, namespace: ns)
    names = root.list("sys/policies/acl").dig("data", "keys") - %w[default root]
    policies = names.to_h do |n|
      [n, PipelineGuard::OpenBao::Policy.parse(root.get("sys/policies/acl/#{n}").dig("data", "policy"), name: n)]
    end
    PredictionScenario::Local.new(auth, policies)
  end

  # OpenBao's answer: live cel/login, then capabilities-self with its token.
  def live_answer(ns, jwt, paths)
    login = PipelineGuard::OpenBao::Client.new(address: bao.address, namespace: ns)
                                          .post("auth/pipeline_jwt/cel/login", { role: "all_pipelines", jwt: })
    caps = PipelineGuard::OpenBao::Client.new(address: bao.address, token: login.dig("auth", "client_token"),
                                              namespace: ns).post("sys/capabilities-self", { paths: })
    [login.dig("auth", "policies"), paths.to_h { |p| [p, caps[p].sort] }]
  end

  def compare(owner, names, jwt)
    paths = names.map { |n| "secrets/kv/data/explicit/#{n}" }
    ns = owner.secrets_manager.namespace_path
    local = (@local ||= {})[ns] ||= local_for(owner)
    [local.answer(jwt, paths), live_answer(ns, jwt, paths), ns]
  end

  it "predicts OpenBao's pipeline login and capabilities for every job" do
    build_scenario
    owners = { project => project.secrets.order(:name).pluck(:name),
               group => GroupSecret.where(group_id: group.id).order(:name).pluck(:name) }
    answers = jobs.flat_map do |payload|
      jwt = payload.dig("secrets", "P0", "gitlab_secrets_manager", "server", "inline_auth", "jwt")
      owners.map { |owner, names| compare(owner, names, jwt) }
    end
    mismatches = answers.reject { |local, live, _| local == live }
    expect(mismatches).to eq([]), "seed #{seed}: #{mismatches.first(3).inspect}"
    checked = answers.sum { |local, _, _| local[1].size }
    readable = answers.sum { |local, _, _| local[1].count { |_, caps| caps.include?("read") } }
    expect(checked).to be >= 100
    expect(readable).to be_between(1, checked - 1) # the scenario exercises both answers
  end
end
