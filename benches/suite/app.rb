# frozen_string_literal: true

require "json"
require "tmpdir"
require "fileutils"

# The example app (examples/secrets_manager) booted inside a bench process:
# a fresh SQLite database in a temporary directory (removed at exit),
# values stored locally (no BAO_ADDR), jobs inline, and requests made
# in process with Rack::MockRequest, so a scenario measures the app's own
# work without a web server in between.
module BenchApp
  ROOT = File.expand_path("../../examples/secrets_manager", __dir__)
  GRAPHQL_FIXTURES = File.join(ROOT, "spec/fixtures/gitlab_graphql")

  module_function

  def boot
    return if defined?(@booted)

    dir = Dir.mktmpdir("pipeline_guard-bench-app")
    at_exit { FileUtils.remove_entry(dir) }
    ENV["RAILS_ENV"] = "test" # inline jobs, no credentials
    ENV.delete("BAO_ADDR")
    ENV["DATABASE_URL"] = "sqlite3:#{File.join(dir, 'bench.sqlite3')}"
    require File.join(ROOT, "config/environment")
    @booted = true
  end

  # A project with an active secrets manager (GitLab's default role grants
  # written at provisioning) under group `group_path`.
  def project(path)
    group = Group.find_or_create_by!(full_path: path.split("/").first)
    project = Project.create!(full_path: path, group:)
    manager = project.create_secrets_manager!
    ProvisionSecretsManagerJob.perform_now(manager)
    SecretsPermissions::DefaultRolePolicies.ensure!(project)
    project
  end

  # A user with `level` on `path`; returns [user, personal access token].
  def member(name, path, level, member_role: nil)
    user, token = User.create_with_token!(name)
    Membership.create!(user:, path:, access_level: level, member_role:)
    Authz.reset!
    [user, token]
  end

  # `count` secrets with names SECRET_0000.. in one insert (metadata only:
  # the GraphQL list never reads values).
  def insert_secrets(project, count, environment: "*", branch: "*")
    now = Time.now
    rows = Array.new(count) do |i|
      { project_id: project.id, name: format("SECRET_%04d", i), environment:, branch:, created_at: now,
        updated_at: now, create_started_at: now, create_completed_at: now }
    end
    Secret.insert_all!(rows)
    ProjectAccess.reset!(project.id)
  end

  # `count` USER grants for other members, as an established project has.
  def grant_users(project, count, actions: %w[read])
    count.times do |i|
      user, = member("grantee#{project.id}_#{i}", project.full_path, 30)
      project.secrets_permissions.create!(principal_type: "User", principal_id: user.id, actions:)
    end
    ProjectAccess.reset!(project.id)
  end

  def graphql_document(name) = File.read(File.join(GRAPHQL_FIXTURES, "#{name}.graphql"))

  def rack = (@rack ||= Rack::MockRequest.new(Rails.application))

  # POST /api/graphql as the holder of `token`; returns the parsed answer
  # (raises unless HTTP 200).
  def graphql(document, variables, token:)
    res = rack.post("/api/graphql", input: JSON.generate(query: document, variables:),
                                    "CONTENT_TYPE" => "application/json", "HTTP_AUTHORIZATION" => "Bearer #{token}")
    raise "GraphQL HTTP #{res.status}: #{res.body[0, 200]}" unless res.status == 200

    JSON.parse(res.body)
  end
end
