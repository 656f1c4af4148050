# frozen_string_literal: true

require "spec_helper"

module JwtAuthCelSpecKey
  RSA = OpenSSL::PKey::RSA.new(2048)
end

RSpec.describe PipelineGuard::OpenBao::JwtAuth, "CEL roles" do
  issuer = "https://gitlab.example.com"
  let(:rsa) { JwtAuthCelSpecKey::RSA }
  let(:auth) { described_class.new(bound_issuer: issuer, jwt_validation_pubkeys: [rsa]) }
  let(:now) { Time.now }
  let(:claims) do
    { "iss" => issuer, "aud" => "openbao", "sub" => "project_path:g/p", "project_id" => "42",
      "groups" => %w[ops dev], "iat" => now.to_i - 5, "exp" => now.to_i + 300 }
  end
  let(:program) do
    { "variables" => [{ "name" => "ok", "expression" => "claims.project_id == '42'" }],
      "expression" => "ok ? pb.Auth{display_name: 'p' + claims.project_id, " \
                      "alias: logical.Alias{name: claims.sub}, policies: claims.groups, " \
                      "metadata: {'project_id': claims.project_id}} : 'wrong project'" }
  end

  def token(extra = {}) = JwtTestSigner.sign(claims.merge(extra), rsa, "RS256")

  before { auth.write_cel_role("all_pipelines", cel_program: program, bound_audiences: ["openbao"]) }

  it "logs in with OpenBao's answer", :gc_stress do
    login = auth.cel_login(role: "ALL_PIPELINES", jwt: token, now:)
    expect(login.to_h).to include(alias_name: "project_path:g/p", display_name: "jwt-p42", cel: true,
                                  policies: %w[default dev ops], metadata: { "project_id" => "42" },
                                  lease_duration: 2_764_800, renewable: false, token_type: "service")
    expect(login).to eq(auth.cel_login(role: "all_pipelines", jwt: token, now:))
  end

  it "raises AuthError with OpenBao's text", :gc_stress do
    expect { auth.cel_login(role: "all_pipelines", jwt: token("project_id" => "7"), now:) }
      .to raise_error(PipelineGuard::OpenBao::AuthError,
                      "error executing cel program: CEL role 'all_pipelines' blocked authorization with message: " \
                      "wrong project")
    expect { auth.cel_login(role: "all_pipelines", jwt: token("aud" => "x"), now:) }
      .to raise_error(PipelineGuard::OpenBao::AuthError, /\Aerror validating token: invalid audience/)
    expect { auth.cel_login(role: "nope", jwt: token) }
      .to raise_error(PipelineGuard::OpenBao::AuthError, 'role "nope" could not be found')
  end

  it "refuses programs with OpenBao's text and keeps the role readable", :gc_stress do
    expect { auth.write_cel_role("bad", cel_program: { "expression" => "pb.Auth{num_uses: \"3\"}" }) }
      .to raise_error(PipelineGuard::OpenBao::RoleError, /expected type of field 'num_uses' is 'int'/)
    expect { auth.write_cel_role("bad", cel_program: { "expression" => "" }) }
      .to raise_error(PipelineGuard::OpenBao::RoleError, "cel_program.expression cannot be empty")
    expect { auth.write_cel_role("bad", cel_program: { expression: "x" }, bound_audiences: [nil]) }
      .to raise_error(ArgumentError)
    role = auth.cel_role("all_pipelines")
    expect(role.to_h).to include(name: "all_pipelines", cel_program: program, bound_audiences: ["openbao"],
                                 expiration_leeway: 150, not_before_leeway: 150, clock_skew_leeway: 60)
    expect(role.inspect).to include("variables=1")
    expect(auth.cel_role_names).to eq(["all_pipelines"])
    expect(auth.delete_cel_role("all_pipelines")).to be(true)
    expect(auth.cel_role("all_pipelines")).to be_nil
  end

  it "logs many in, off the GVL, with errors as values", :gc_stress do
    tokens = [token, token("project_id" => "7"), "not-a-jwt"] * 5
    results = auth.cel_login_many(role: "all_pipelines", jwts: tokens, now:)
    expect(results.map(&:class)).to eq([described_class::Login, PipelineGuard::OpenBao::AuthError,
                                        PipelineGuard::OpenBao::AuthError] * 5)
  end

  it "bounds hostile programs" do
    auth.write_cel_role("loop", cel_program: { "expression" =>
      "claims.xs.all(x, claims.xs.all(y, x != -1)) ? pb.Auth{} : false" })
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    expect { auth.cel_role("loop").authenticate(claims.merge("xs" => (1..3000).to_a), now:) }
      .to raise_error(PipelineGuard::OpenBao::AuthError, /more than 100000 comprehension steps/)
    expect(Process.clock_gettime(Process::CLOCK_MONOTONIC) - started).to be < 10
    deep = "#{'[' * 80}1#{']' * 80}"
    expect { auth.write_cel_role("deep", cel_program: { "expression" => deep }) }
      .to raise_error(PipelineGuard::OpenBao::RoleError, /nests \d+ levels deep/)
  end
end
