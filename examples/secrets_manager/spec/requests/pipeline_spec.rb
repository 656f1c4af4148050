# frozen_string_literal: true

# Pipelines are created from a ref name only; the server looks up ref type,
# commit and protection, each job's environment comes from its definition,
# and the ID token a runner receives is minted from the job record. A job
# exchanges that token for the secrets its environment and branch may read,
# including wildcard scopes.
RSpec.describe "pipeline secrets" do
  let(:developer) { user_with(30) }
  let(:maintainer) { user_with(40) }

  before do
    enable_secrets_manager!(project)
    seed_secret("GLOBAL")
    seed_secret("PROD_ONLY", environment: "production")
    seed_secret("REVIEW_ANY", environment: "review/*")
    seed_secret("MAIN_ONLY", branch: "main")
    seed_secret("RELEASES", branch: "release/*")
    seed_secret("PROD_MAIN", environment: "production", branch: "main")
    %w[main feature release/2.0].each { |b| add_ref(b) }
    add_ref("v1.0", ref_type: "tag")
    protect_branch("main")
    protect_branch("release/*")
    protect_tag("v*")
    protect_environment("production")
  end

  def run_job(ref, environment:, as:)
    define_job("job", environment:, secrets: { "GLOBAL" => { "gitlab_secrets_manager" => { "name" => "GLOBAL" } } })
    status, body = create_pipeline(ref, as:)
    expect(status).to eq(201), body.inspect
    payload = request_job
    expect(payload).not_to be_nil
    payload
  end

  {
    ["main", "production", :maintainer] => %w[GLOBAL MAIN_ONLY PROD_MAIN PROD_ONLY],
    ["main", nil, :maintainer] => %w[GLOBAL MAIN_ONLY],
    ["feature", "review/$CI_COMMIT_REF_SLUG", :developer] => %w[GLOBAL REVIEW_ANY],
    ["release/2.0", "staging", :maintainer] => %w[GLOBAL RELEASES],
    ["v1.0", "production", :maintainer] => %w[GLOBAL PROD_ONLY]
  }.each do |(ref, environment, who), expected|
    it "gives a #{who}'s job on #{ref} (environment #{environment.inspect}) exactly #{expected.join(', ')}" do
      payload = run_job(ref, environment:, as: public_send(who))
      status, body = fetch_secrets(payload.dig("secrets", "GLOBAL", "gitlab_secrets_manager", "server", "inline_auth",
                                               "jwt"))
      expect(status).to eq(200)
      expect(body["secrets"].keys.sort).to eq(expected)
      expect(body["secrets"]["GLOBAL"]).to eq("value-of-GLOBAL")
    end
  end

  it "refuses a Developer a pipeline for a protected branch or tag, with GitLab's text" do
    expect(create_pipeline("main", as: developer))
      .to eq([400, { "message" => { "base" => ["Insufficient permissions for protected ref 'main'"] } }])
    expect(create_pipeline("release/2.0", as: developer)[1].dig("message", "base"))
      .to eq(["Insufficient permissions for protected ref 'release/2.0'"])
    expect(create_pipeline("v1.0", as: developer)[1].dig("message", "base"))
      .to eq(["Insufficient permissions for protected ref 'v1.0'"])
    expect(Ci::Pipeline.count).to eq(0)
  end

  it "lets a Developer run on a branch whose protection admits Developers" do
    add_ref("stable")
    protect_branch("stable", level: Membership::DEVELOPER)
    status, body = create_pipeline("stable", as: developer)
    expect(status).to eq(201)
    expect(body).to include("ref" => "stable", "protected" => true, "tag" => false)
  end

  it "never hands a runner a Developer's job for a protected environment" do
    define_job("deploy", environment: "production")
    define_job("test")
    status, body = create_pipeline("feature", as: developer)
    expect(status).to eq(201)
    expect(body["jobs"]).to eq([
                                 { "id" => body["jobs"][0]["id"], "name" => "deploy", "stage" => "test",
                                   "environment" => "production", "status" => "failed",
                                   "failure_reason" => "protected_environment_failure" },
                                 { "id" => body["jobs"][1]["id"], "name" => "test", "stage" => "test",
                                   "status" => "pending" }
                               ])
    expect(drain_jobs.map { |p| p.dig("job_info", "name") }).to eq(["test"])
    expect(request_job).to be_nil
  end

  it "ignores faked parameters: ref type, protection, environment and commit come from the server" do
    define_job("job", secrets: { "GLOBAL" => { "gitlab_secrets_manager" => { "name" => "GLOBAL" } } })
    status, body = create_pipeline("feature", as: developer, ref_type: "tag", protected: true, ref_protected: true,
                                              environment: "production", sha: "0" * 40, tag: true)
    expect(status).to eq(201)
    expect(body).to include("ref" => "feature", "tag" => false, "protected" => false,
                            "sha" => RepositoryRef.find_by!(name: "feature").sha)
    claims = job_claims(request_job)
    expect(claims).to include("ref" => "feature", "ref_type" => "branch", "ref_protected" => "false",
                              "sha" => RepositoryRef.find_by!(name: "feature").sha)
    expect(claims).not_to include("environment")
    expect(fetch_secrets(IdTokens.for_build(Ci::Build.last))[1]["secrets"].keys.sort).to eq(%w[GLOBAL])
  end

  it "mints no token from request parameters: a Developer cannot claim a protected ref or production" do
    header "Authorization", "Bearer #{token_for(developer)}"
    post "/api/v4/projects/#{project.id}/jobs", { ref: "main", ref_protected: "true", environment: "production" }
    expect(last_response.status).to eq(404)
    expect(last_response.body).not_to include("id_token")
    expect(Ci::Build.count).to eq(0)
  end

  it "takes every ID token claim from the job record" do
    payload = run_job("main", environment: "production", as: maintainer)
    build = Ci::Build.find(payload["id"])
    expect(job_claims(payload)).to include(
      "project_id" => project.id.to_s, "project_path" => "acme/api", "user_id" => maintainer.id.to_s,
      "user_login" => maintainer.username, "job_id" => build.id.to_s, "pipeline_id" => build.pipeline_id.to_s,
      "ref" => "main", "ref_type" => "branch", "ref_path" => "refs/heads/main", "ref_protected" => "true",
      "environment" => "production", "environment_protected" => "true", "sha" => build.sha,
      "secrets_manager_scope" => "pipeline", "project_group_ids" => [group.id],
      "sub" => "project_path:acme/api:ref_type:branch:ref:main", "aud" => IdTokens.audience,
      "runner_id" => build.runner_id
    )
  end

  it "narrows the answer to the names the runner asks for, never beyond what the job may read" do
    token = run_job("feature", environment: nil, as: developer)
            .dig("secrets", "GLOBAL", "gitlab_secrets_manager", "server", "inline_auth", "jwt")
    header "Authorization", "Bearer #{token}"
    get "/api/v4/jobs/secrets", { names: %w[GLOBAL MAIN_ONLY] }
    expect(JSON.parse(last_response.body)["secrets"].keys).to eq(%w[GLOBAL])
  end

  it "answers an unknown or ambiguous ref with GitLab's texts" do
    expect(create_pipeline("nope", as: developer)[1]).to eq("message" => { "base" => ["Reference not found"] })
    expect(create_pipeline(nil, as: developer)).to eq([400, { "error" => "ref is missing" }])
    add_ref("feature", ref_type: "tag")
    expect(create_pipeline("feature", as: developer)[1]).to eq("message" => { "base" => ["Ref is ambiguous"] })
  end

  it "lets only Developers and above create pipelines" do
    expect(create_pipeline("feature", as: user_with(20))[0]).to eq(403)
    expect(create_pipeline("feature", as: user_with(nil))[0]).to eq(404)
    post "/api/v4/projects/#{project.id}/pipelines", JSON.generate(ref: "feature"), "CONTENT_TYPE" => "application/json"
    expect(last_response.status).to eq(404)
  end

  it "gives jobs only to registered runners" do
    define_job("job")
    create_pipeline("feature", as: developer)
    post "/api/v4/jobs/request", JSON.generate(token: "glrt-forged"), "CONTENT_TYPE" => "application/json"
    expect(last_response.status).to eq(403)
    expect(Ci::Build.last.status).to eq("pending")
  end

  it "refuses a token for another project, an expired token, a forged token and a user-scoped token" do
    other = Project.create!(full_path: "acme/other")
    expect(fetch_secrets(IdTokens.mint(project: other, user: developer, ref: "main")))
      .to eq([403, { "error" => "secrets manager is not active" }])
    enable_secrets_manager!(other)
    expect(fetch_secrets(IdTokens.mint(project: other, user: developer, ref: "main"))).to eq([200, { "secrets" => {} }])

    expired = IdTokens.mint(project:, user: developer, ref: "main", now: Time.now.to_i - 3600)
    expect(fetch_secrets(expired)[0]).to eq(403)

    forged = pipeline_guard_id_token("project_id" => project.id.to_s, "iss" => IdTokens::ISSUER,
                                     "aud" => IdTokens.audience)
    expect(fetch_secrets(forged)[0]).to eq(403)
    expect(fetch_secrets("not-a-token")[0]).to eq(403)
  end

  it "publishes the JWKS that verifies its tokens" do
    get "/oauth/discovery/keys"
    jwks = JSON.parse(last_response.body)
    expect(jwks["keys"].first).to include("kty" => "RSA", "alg" => "RS256")
    verifier = PipelineGuard::JWT::Verifier.new(jwks:, algorithms: ["RS256"], issuer: IdTokens::ISSUER,
                                                audience: IdTokens.audience)
    token = run_job("feature", environment: nil, as: developer)
            .dig("secrets", "GLOBAL", "gitlab_secrets_manager", "server", "inline_auth", "jwt")
    expect(verifier.verify(token)["project_id"]).to eq(project.id.to_s)
  end
end
