# frozen_string_literal: true

require "spec_helper"
require "digest"

RSpec.describe "Attestations" do
  sigstore = File.expand_path("../../../../spec/fixtures/sigstore", __dir__)
  let(:sigstore) { sigstore }
  let(:artifact) { "release tarball bytes" }
  let(:digest) { Digest::SHA256.hexdigest(artifact) }
  let(:developer) { user_with(Membership::DEVELOPER) }

  before { [SupplyChain::Attestation, Ci::JobArtifact].each(&:delete_all) }

  def define(name, stage: "build", variables: [{ "key" => "ATTEST_BUILD_ARTIFACTS", "value" => "true" }])
    Ci::JobDefinition.create!(project:, name:, stage:, yaml_variables: variables)
  end

  # Runs a pipeline on main; the runner takes the job, uploads `files` and
  # finishes it. Returns [finish status, body].
  def run_job(files, state = "success")
    add_ref("main") unless RepositoryRef.exists?(project:, name: "main")
    create_pipeline("main", as: developer)
    job = request_job
    files.each do |name, bytes|
      file = Rack::Test::UploadedFile.new(StringIO.new(bytes), original_filename: name)
      post("/api/v4/jobs/#{job['id']}/artifacts", token: runner_token, name:, file:)
      expect(last_response.status).to eq(201)
    end
    put("/api/v4/jobs/#{job['id']}", token: runner_token, state:)
    [last_response.status, JSON.parse(last_response.body)]
  end

  def list(digest_hex, as: developer, id: project.id)
    header "Authorization", as ? "Bearer #{token_for(as)}" : ""
    get "/api/v4/projects/#{id}/attestations/#{digest_hex}"
    last_response.status == 200 ? JSON.parse(last_response.body) : last_response.status
  end

  def platform_keys
    get "/-/attestations/keys"
    JSON.parse(last_response.body)["keys"]
  end

  describe "artifacts of a job with ATTEST_BUILD_ARTIFACTS" do
    it "are attested by the platform from the job record, and the envelope verifies with the published key" do
      define("build-job")
      status, body = run_job("app.tar" => artifact)
      expect(status).to eq(200)
      expect(body["attestations"]).to eq([{ "iid" => 1, "subject_digest" => digest }])

      listed = list(digest)
      build = Ci::Build.last
      expect(listed.size).to eq(1)
      expect(listed.first).to include(
        "iid" => 1, "project_id" => project.id, "build_id" => build.id, "status" => "success",
        "predicate_kind" => "provenance", "predicate_type" => "https://slsa.dev/provenance/v1",
        "subject_digest" => digest,
        "download_url" => "#{IdTokens::ISSUER}/api/v4/projects/#{project.id}/attestations/1/download"
      )
      expect(listed.first.keys).to eq(%w[id iid created_at updated_at expire_at project_id build_id status
                                         predicate_kind predicate_type subject_digest download_url])
      expect(Time.iso8601(listed.first["expire_at"])).to be > Time.now + (700 * 86_400)

      get "/api/v4/projects/#{project.id}/attestations/1/download"
      expect(last_response.status).to eq(200)
      envelope = last_response.body
      key = platform_keys.first
      expect(JSON.parse(envelope)["signatures"].first["keyid"]).to eq(key["keyid"])
      source_uri = "#{IdTokens::ISSUER}/#{project.full_path}"
      builder_id = "#{source_uri}/-/runners/#{build.runner_id}"
      statement = PipelineGuard::SLSA.verify_provenance(envelope, keys: [key["public_key"]], artifact:, source_uri:,
                                                                  builder_id:, commit: build.sha)
      expect(statement.dig("predicate", "buildDefinition", "externalParameters", "entryPoint")).to eq("build-job")
      expect(statement.dig("predicate", "runDetails", "metadata", "invocationId")).to eq(build.id)

      expect do
        PipelineGuard::SLSA.verify_provenance(envelope, keys: [key["public_key"]], artifact: "tampered #{artifact}",
                                                        source_uri:, builder_id:)
      end.to raise_error(PipelineGuard::SLSA::VerificationError) { |e| expect(e.expectation).to eq(:subject) }
    end

    it "is taken from the job definition, not from anything the runner sends" do
      define("build-job", variables: [])
      run_job("app.tar" => artifact)
      expect(list(digest)).to eq([])

      Ci::JobDefinition.delete_all
      define("build-job", variables: [{ "key" => "ATTEST_BUILD_ARTIFACTS", "value" => "false" }])
      run_job("app.tar" => artifact)
      expect(list(digest)).to eq([])
    end

    it "attests only successful jobs of the build stage with artifacts" do
      define("test-job", stage: "test")
      run_job("a.bin" => artifact)
      Ci::JobDefinition.delete_all
      define("build-job")
      run_job({ "a.bin" => artifact, "b.bin" => "other" })
      expect(SupplyChain::Attestation.pluck(:subject_digest))
        .to contain_exactly(digest, Digest::SHA256.hexdigest("other"))

      Ci::JobDefinition.delete_all
      define("build-job")
      run_job({ "c.bin" => "failed job output" }, "failed")
      expect(list(Digest::SHA256.hexdigest("failed job output"))).to eq([])
      expect(run_job({})[1]["attestations"]).to eq([])
    end

    it "keeps the first attestation of an artifact the project already attested" do
      define("build-job")
      run_job("app.tar" => artifact)
      _, body = run_job("app.tar" => artifact)
      expect(body["attestations"]).to eq([])
      expect(list(digest).map { |a| a["iid"] }).to eq([1])
    end
  end

  describe "the runner side" do
    it "needs the token of the runner holding the running job" do
      define("build-job")
      add_ref("main")
      create_pipeline("main", as: developer)
      job = request_job
      other = Ci::Runner.create_with_token!("other runner")[1]
      post "/api/v4/jobs/#{job['id']}/artifacts", token: other, file: "x", name: "x"
      expect(last_response.status).to eq(404)
      post "/api/v4/jobs/#{job['id']}/artifacts", token: "glrt-wrong", file: "x", name: "x"
      expect(last_response.status).to eq(403)
      put "/api/v4/jobs/#{job['id']}", token: runner_token, state: "success"
      expect(last_response.status).to eq(200)
      post "/api/v4/jobs/#{job['id']}/artifacts", token: runner_token, file: "late", name: "late"
      expect(last_response.status).to eq(403) # finished: no more artifacts
      put "/api/v4/jobs/#{job['id']}", token: runner_token, state: "bogus"
      expect(last_response.status).to eq(403)
    end
  end

  describe "GET /api/v4/projects/:id/attestations/:subject_digest" do
    before do
      define("build-job")
      run_job("app.tar" => artifact)
    end

    it "answers members from Guest up, by ID or URL-encoded path, and hides the project from others" do
      guest = user_with(10)
      expect(list(digest, as: guest).size).to eq(1)
      expect(list(digest, id: CGI.escape(project.full_path)).size).to eq(1)
      expect(list(digest, as: user_with(nil))).to eq(404)
      expect(last_response.body).to include("404 Project Not Found")
      expect(list(digest, as: nil)).to eq(404)
      other = Project.create!(full_path: "acme/other", group:)
      expect(list(digest, id: other.id)).to eq(404)
    end

    it "lists nothing for an unknown digest and refuses what is not a SHA-256" do
      expect(list("cbe6fc257a1cd3032c3c4bff38653cd14502f213000745006337dee7dcfc4de4")).to eq([])
      expect(list("abc")).to eq(404)
      expect(list("z" * 64)).to eq(404)
    end

    it "paginates with GitLab's headers" do
      list(digest)
      expect(last_response.headers).to include("X-Total" => "1", "X-Page" => "1", "X-Per-Page" => "20")
    end
  end

  describe "Sigstore bundles uploaded for a project" do
    let(:fixture_digest) { Digest::SHA256.hexdigest(File.binread(File.join(sigstore, "artifact.txt"))) }
    let(:signed_project) { Project.create!(full_path: "group/project") }
    let(:uploader) { user_with(Membership::DEVELOPER, path: "group/project") }

    before do
      root = PipelineGuard::Sigstore::TrustedRoot.from_json(File.read(File.join(sigstore, "trusted_root.json")))
      Attestations::SigstorePolicy.configure(trusted_root: root, issuer: "https://gitlab.example.com",
                                             instance_url: "https://gitlab.example.com")
    end

    after { Attestations::SigstorePolicy.reset! }

    def upload(bundle_file, digest_hex = fixture_digest, as: uploader, project_id: signed_project.id)
      header "Authorization", "Bearer #{token_for(as)}"
      post "/api/v4/projects/#{project_id}/attestations",
           JSON.generate(bundle: File.read(File.join(sigstore, "bundles", bundle_file)), subject_digest: digest_hex),
           "CONTENT_TYPE" => "application/json"
      [last_response.status, JSON.parse(last_response.body)]
    end

    it "are verified on arrival, stored, listed and downloaded byte for byte" do
      status, body = upload("dsse_v0.3.json")
      expect(status).to eq(201)
      expect(body).to include("predicate_kind" => "provenance", "subject_digest" => fixture_digest, "build_id" => nil)
      expect(list(fixture_digest, as: uploader, id: signed_project.id).size).to eq(1)
      get "/api/v4/projects/#{signed_project.id}/attestations/#{body['iid']}/download"
      expect(last_response.body).to eq(File.read(File.join(sigstore, "bundles", "dsse_v0.3.json")))
      expect(upload("dsse_v0.3.json")[0]).to eq(409)
    end

    it "are refused with the verifier's reason when anything does not verify, and nothing is stored" do
      { "tamper_dsse_payload.json" => fixture_digest, "tamper_dsse_signature.json" => fixture_digest,
        "tamper_checkpoint.json" => fixture_digest, "dsse_v0.3.json" => Digest::SHA256.hexdigest("other") }
        .each do |file, digest_hex|
        status, body = upload(file, digest_hex)
        expect(status).to eq(400), file
        expect(body["message"]).to start_with("Sigstore bundle verification failed: ")
      end
      expect(SupplyChain::Attestation.count).to eq(0)
    end

    it "must come from this project's pipelines" do
      wrong = Project.create!(full_path: "group/project-fork")
      user = user_with(Membership::DEVELOPER, path: "group/project-fork")
      status, body = upload("dsse_v0.3.json", as: user, project_id: wrong.id)
      expect(status).to eq(400)
      expect(body["message"]).to match(/identity/i)
    end

    it "need a Developer, a bundle with an in-toto statement and a SHA-256 digest" do
      expect(upload("dsse_v0.3.json", as: user_with(Membership::REPORTER, path: "group/project"))[0]).to eq(403)
      expect(upload("dsse_v0.3.json", as: user_with(nil))[0]).to eq(404)
      status, body = upload("hashedrekord_v0.3.json")
      expect([status, body["message"]]).to eq([400, "the bundle carries no in-toto statement"])
      expect(upload("dsse_v0.3.json", "xyz")[0]).to eq(400)
    end
  end

  describe "GraphQL projectAttestations" do
    let(:query) do
      <<~GQL
        query($path: ID!) { projectAttestations(projectPath: $path) {
          nodes { iid status predicateKind subjectDigest signedBy buildId verificationStatus verificationMessage }
        } }
      GQL
    end

    def attestation_nodes(as: developer)
      graphql(query, as:, variables: { path: project.full_path }).dig("data", "projectAttestations", "nodes")
    end

    it "lists a project's attestations with their verification status" do
      define("build-job")
      run_job("app.tar" => artifact)
      nodes = graphql(query, as: developer, variables: { path: project.full_path })
              .dig("data", "projectAttestations", "nodes")
      expect(nodes).to eq([{ "iid" => 1, "status" => "success", "predicateKind" => "provenance",
                             "subjectDigest" => digest, "signedBy" => "platform", "buildId" => Ci::Build.last.id,
                             "verificationStatus" => "VERIFIED", "verificationMessage" => nil }])

      # A stored envelope changed behind the app's back.
      record = SupplyChain::Attestation.last
      envelope = JSON.parse(record.file)
      envelope["payload"] =
        Base64.strict_encode64(Base64.strict_decode64(envelope["payload"]).sub("build-job", "evil-job"))
      record.update_column(:file, JSON.generate(envelope))
      node = graphql(query, as: developer, variables: { path: project.full_path }).dig("data", "projectAttestations",
                                                                                       "nodes", 0)
      expect(node["verificationStatus"]).to eq("FAILED")
      expect(node["verificationMessage"]).to match(/signature/i)
    end

    it "is not available to non-members" do
      res = graphql(query, as: user_with(nil), variables: { path: project.full_path })
      expect(res["data"]["projectAttestations"]).to be_nil
      expect(res["errors"].first["message"]).to eq(not_available)
    end
  end
end
