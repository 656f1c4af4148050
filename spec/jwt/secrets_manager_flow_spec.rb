# frozen_string_literal: true

RSpec.describe "JWT in the secrets-manager flow" do
  it "walks the secrets-manager flow: mint a job token, publish JWKS, verify like OpenBao would" do
    signer = PipelineGuard::JWT::Signer.new(OpenSSL::PKey::RSA.new(2048), kid: "gitlab-ci-1")
    job = { issuer: "https://gitlab.example.com", audience: "https://bao.example.com", namespace_id: 1,
            namespace_path: "g", project_id: 20, project_path: "g/p", user_id: 7, user_login: "dev",
            user_email: "dev@example.com", pipeline_id: 3, pipeline_source: "push", job_id: 4, ref: "main",
            ref_type: "branch", ref_protected: false, sha: "abc", project_visibility: "private",
            secrets_manager_scope: "pipeline" }
    token = signer.mint_id_token(job)
    published = JSON.parse(JSON.generate(signer.jwks)) # as served over HTTP
    payload, header = PipelineGuard::JWT.decode(token, nil, true, algorithms: ["RS256"], jwks: published,
                                                                  verify_aud: true, aud: "https://bao.example.com",
                                                                  verify_iss: true, iss: "https://gitlab.example.com")
    expect(header).to eq("alg" => "RS256", "kid" => "gitlab-ci-1", "typ" => "JWT")
    expect(payload).to include("project_id" => "20", "secrets_manager_scope" => "pipeline", "ref_type" => "branch")
    expect do
      PipelineGuard::JWT.decode(token, nil, true, algorithms: ["RS256"], jwks: published, verify_aud: true,
                                                  aud: "https://other")
    end
      .to raise_error(PipelineGuard::JWT::InvalidAudError)
  end
end
