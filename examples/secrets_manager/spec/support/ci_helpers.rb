# frozen_string_literal: true

# Repository refs, protection rules, job definitions, pipelines and a runner.
module CiHelpers
  def add_ref(name, ref_type: "branch", sha: Digest::SHA1.hexdigest("#{ref_type}:#{name}"))
    RepositoryRef.create!(project:, name:, ref_type:, sha:)
  end

  def protect_branch(name, level: Membership::MAINTAINER)
    ProtectedBranch.create!(project:, name:, push_access_level: level, merge_access_level: level)
  end

  def protect_tag(name, level: Membership::MAINTAINER)
    ProtectedTag.create!(project:, name:, create_access_level: level)
  end

  def protect_environment(name, level: Membership::MAINTAINER)
    ProtectedEnvironment.create!(project:, name:, deploy_access_level: level)
  end

  def define_job(name, environment: nil, secrets: {}, stage: "test")
    Ci::JobDefinition.create!(project:, name:, environment:, secrets:, stage:)
  end

  # POST /pipelines as `user`; [status, body].
  def create_pipeline(ref, as:, **extra)
    header "Authorization", "Bearer #{token_for(as)}"
    post "/api/v4/projects/#{project.id}/pipelines", JSON.generate(ref:, **extra), "CONTENT_TYPE" => "application/json"
    [last_response.status, JSON.parse(last_response.body)]
  end

  def runner_token
    @runner_token ||= Ci::Runner.create_with_token!("spec runner")[1]
  end

  # The runner takes the next pending job: its payload, or nil.
  def request_job
    post "/api/v4/jobs/request", JSON.generate(token: runner_token), "CONTENT_TYPE" => "application/json"
    last_response.status == 201 ? JSON.parse(last_response.body) : nil
  end

  # Every pending job's payload, in creation order.
  def drain_jobs = Array.new(Ci::Build.pending.count) { request_job }

  def job_claims(payload)
    jwt = payload["secrets"].values.map { |s| s.dig("gitlab_secrets_manager", "server", "inline_auth", "jwt") }
                            .compact.first
    IdTokens.verify(jwt)
  end

  def fetch_secrets(token)
    header "Authorization", "Bearer #{token}"
    get "/api/v4/jobs/secrets"
    [last_response.status, JSON.parse(last_response.body)]
  end
end

RSpec.configure do |config|
  config.include CiHelpers
  config.before do
    [Ci::Build, Ci::Pipeline, Ci::JobDefinition, Ci::Runner, RepositoryRef, ProtectedBranch, ProtectedTag,
     ProtectedEnvironment].each(&:delete_all)
  end
end

RSpec.configure do |config|
  config.before do
    [GroupSecretsPermissionRecord, SecretsManagerRoleDefault].each(&:delete_all)
    SecretsPermissions::DefaultRolePolicies.reset!
  end
end
