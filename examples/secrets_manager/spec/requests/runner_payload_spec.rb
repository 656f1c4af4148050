# frozen_string_literal: true

# The runner receives each gitlab_secrets_manager entry the way GitLab's
# Ci::BuildRunnerPresenter sends it: engine, path, field and the OpenBao
# server with an inline JWT login; group sources only for the project's own
# groups.
RSpec.describe "runner job payload" do
  let(:maintainer) { user_with(40) }

  before do
    add_ref("main")
    enable_secrets_manager!(project)
    enable_secrets_manager!(group)
  end

  def payload_for(secrets)
    define_job("build", secrets:)
    expect(create_pipeline("main", as: maintainer)[0]).to eq(201)
    request_job
  end

  it "turns project and group entries into OpenBao locations and logins" do
    outsider = Group.create!(full_path: "other")
    payload = payload_for(
      "DB" => { "gitlab_secrets_manager" => { "name" => "DB" }, "file" => false },
      "SHARED" => { "gitlab_secrets_manager" => { "name" => "SHARED", "source" => "group/acme" } },
      "FOREIGN" => { "gitlab_secrets_manager" => { "name" => "X", "source" => "group/other" } },
      "BAD_SOURCE" => { "gitlab_secrets_manager" => { "name" => "X", "source" => "project/acme" } },
      "BAD_NAME" => { "gitlab_secrets_manager" => { "name" => "../../sys" } }
    )
    db = payload.dig("secrets", "DB")
    expect(db["file"]).to be(false)
    expect(db["gitlab_secrets_manager"].except("server")).to eq(
      "engine" => { "name" => "kv-v2", "path" => "org_1/group_#{group.id}/project_#{project.id}/secrets/kv" },
      "path" => "explicit/DB", "field" => "value"
    )
    server = db.dig("gitlab_secrets_manager", "server")
    expect(server.except("inline_auth")).to eq("url" => IdTokens.audience)
    expect(server["inline_auth"].except("jwt")).to eq(
      "role" => "all_pipelines", "path" => "org_1/group_#{group.id}/project_#{project.id}/auth/pipeline_jwt/cel/login"
    )
    shared = payload.dig("secrets", "SHARED", "gitlab_secrets_manager")
    expect(shared.slice("engine", "path")).to eq(
      "engine" => { "name" => "kv-v2",
                    "path" => "org_1/group_#{group.id}/group_#{group.id}/secrets/kv" }, "path" => "explicit/SHARED"
    )
    expect(shared.dig("server", "inline_auth",
                      "path")).to eq("org_1/group_#{group.id}/group_#{group.id}/auth/pipeline_jwt/cel/login")
    expect(outsider.id).not_to eq(group.id)
    %w[FOREIGN BAD_SOURCE BAD_NAME].each do |name|
      expect(payload.dig("secrets", name, "gitlab_secrets_manager")).to eq({})
    end
  end

  it "lets a job read its group's secrets, protected ones only on protected refs, and no other group's" do
    add_ref("feature")
    protect_branch("main")
    { "SHARED" => false, "GUARDED" => true }.each do |name, guarded|
      GroupSecret.create!(group:, name:, environment: "*", protected: guarded, value: "value-of-#{name}")
    end
    entry = { "SHARED" => { "gitlab_secrets_manager" => { "name" => "SHARED", "source" => "group/acme" } } }
    read = lambda do |payload, source|
      jwt = payload.dig("secrets", "SHARED", "gitlab_secrets_manager", "server", "inline_auth", "jwt")
      header "Authorization", "Bearer #{jwt}"
      get "/api/v4/jobs/secrets", { source: }
      [last_response.status, JSON.parse(last_response.body)]
    end
    protected_job = payload_for(entry)
    expect(read.call(protected_job, "group/acme"))
      .to eq([200, { "secrets" => { "GUARDED" => "value-of-GUARDED", "SHARED" => "value-of-SHARED" } }])
    Ci::JobDefinition.delete_all
    define_job("feature-build", secrets: entry)
    create_pipeline("feature", as: maintainer)
    expect(read.call(request_job, "group/acme")).to eq([200, { "secrets" => { "SHARED" => "value-of-SHARED" } }])

    other = Group.create!(full_path: "other")
    enable_secrets_manager!(other)
    expect(read.call(protected_job, "group/other"))
      .to eq([403, { "error" => "project does not belong to group" }])
  end

  it "sends empty entries while a secrets manager is not active, as GitLab does" do
    project.secrets_manager.initiate_deprovision!
    group.secrets_manager.destroy!
    payload = payload_for(
      "DB" => { "gitlab_secrets_manager" => { "name" => "DB" } },
      "SHARED" => { "gitlab_secrets_manager" => { "name" => "SHARED", "source" => "group/acme" } }
    )
    expect(payload["secrets"]).to eq("DB" => { "gitlab_secrets_manager" => {} },
                                     "SHARED" => { "gitlab_secrets_manager" => {} })
  end

  it "carries the job's facts, not the request's" do
    payload = payload_for({})
    build = Ci::Build.find(payload["id"])
    expect(payload["git_info"]).to eq("ref" => "main", "sha" => build.sha, "ref_type" => "branch",
                                      "refspecs" => ["+#{build.sha}:refs/heads/main"])
    vars = payload["variables"].to_h { |v| [v["key"], v["value"]] }
    expect(vars).to include("CI_COMMIT_REF_NAME" => "main", "CI_COMMIT_REF_PROTECTED" => "false",
                            "CI_JOB_ID" => build.id.to_s, "CI_PROJECT_PATH" => "acme/api")
  end
end
