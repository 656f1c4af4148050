# frozen_string_literal: true

# A job exchanges its ID token for the secrets its environment and branch
# may read, including wildcard scopes.
RSpec.describe "pipeline secrets" do
  let(:developer) { user_with(30) }

  before do
    seed_secret("GLOBAL")
    seed_secret("PROD_ONLY", environment: "production")
    seed_secret("REVIEW_ANY", environment: "review/*")
    seed_secret("MAIN_ONLY", branch: "main")
    seed_secret("RELEASES", branch: "release/*")
    seed_secret("PROD_MAIN", environment: "production", branch: "main")
  end

  def job_token(**attrs)
    header "Authorization", "Bearer #{token_for(developer)}"
    post "/api/v4/projects/#{project.id}/jobs", attrs
    expect(last_response.status).to eq(201)
    JSON.parse(last_response.body)["id_token"]
  end

  def fetch(token)
    header "Authorization", "Bearer #{token}"
    get "/api/v4/jobs/secrets"
    [last_response.status, JSON.parse(last_response.body)]
  end

  {
    { ref: "main", environment: "production" } => %w[GLOBAL MAIN_ONLY PROD_MAIN PROD_ONLY],
    { ref: "main" } => %w[GLOBAL MAIN_ONLY],
    { ref: "feature", environment: "review/feature" } => %w[GLOBAL REVIEW_ANY],
    { ref: "release/2.0", environment: "staging" } => %w[GLOBAL RELEASES],
    { ref: "main", ref_type: "tag" } => %w[GLOBAL]
  }.each do |job, expected|
    it "gives a job #{job.inspect} exactly #{expected.join(', ')}" do
      status, body = fetch(job_token(**job))
      expect(status).to eq(200)
      expect(body["secrets"].keys.sort).to eq(expected)
      expect(body["secrets"]["GLOBAL"]).to eq("value-of-GLOBAL")
    end
  end

  it "refuses a token for another project, an expired token, a forged token and a user-scoped token" do
    other = Project.create!(full_path: "acme/other")
    status, = fetch(IdTokens.mint(project: other, user: developer, ref: "main").then do |t|
      # a valid token, but this project's secrets are not other's
      t
    end)
    expect(status).to eq(200)
    expect(fetch(IdTokens.mint(project: other, user: developer, ref: "main"))[1]["secrets"]).to eq({})

    expired = IdTokens.mint(project:, user: developer, ref: "main", now: Time.now.to_i - 3600)
    expect(fetch(expired)[0]).to eq(403)

    forged = pipeline_guard_id_token("project_id" => project.id.to_s, "iss" => IdTokens::ISSUER,
                                     "aud" => IdTokens.audience)
    expect(fetch(forged)[0]).to eq(403)
    expect(fetch("not-a-token")[0]).to eq(403)
  end

  it "publishes the JWKS that verifies its tokens" do
    get "/oauth/discovery/keys"
    jwks = JSON.parse(last_response.body)
    expect(jwks["keys"].first).to include("kty" => "RSA", "alg" => "RS256")
    verifier = PipelineGuard::JWT::Verifier.new(jwks:, algorithms: ["RS256"], issuer: IdTokens::ISSUER,
                                                audience: IdTokens.audience)
    expect(verifier.verify(job_token(ref: "main"))["project_id"]).to eq(project.id.to_s)
  end

  it "does not mint tokens for reporters" do
    reporter = user_with(20)
    header "Authorization", "Bearer #{token_for(reporter)}"
    post "/api/v4/projects/#{project.id}/jobs", { ref: "main" }
    expect(last_response.status).to eq(404)
  end
end
