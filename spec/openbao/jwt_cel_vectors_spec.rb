# frozen_string_literal: true

require "json"
require_relative "../spec_helper"
require_relative "../support/jwt_test_signer"

# Replays OpenBao 2.7.2's recorded CEL role decisions through the Ruby API:
# every role written with write_cel_role's keywords, every login through
# cel_login with a signed token, every refused role through RoleError.
RSpec.describe "OpenBao JWT CEL roles against recorded OpenBao vectors" do
  vectors_path = File.expand_path("../../../shared/vectors/openbao/cel_role_cases.json", __dir__)
  vectors = File.exist?(vectors_path) ? JSON.parse(File.read(vectors_path)) : nil
  now = 1_750_000_000

  before { skip "#{vectors_path} not found" unless vectors }

  def keywords(body)
    {
      cel_program: body.fetch("cel_program"), bound_audiences: body["bound_audiences"],
      clock_skew_leeway: body["clock_skew_leeway"], expiration_leeway: body["expiration_leeway"],
      not_before_leeway: body["not_before_leeway"], message: body["message"]
    }
  end

  def token_for(vectors, kase, now)
    return kase["jwt_raw"] if kase.key?("jwt_raw")

    claims = kase.fetch("claims").dup
    return "" if claims.empty?

    %w[iat nbf exp].each do |name|
      offset = claims.delete("#{name}_offset")
      claims[name] = now + offset if offset
    end
    alg = kase.dig("token", "alg") || "RS256"
    key = OpenSSL::PKey.read(vectors.dig("signing_keys", kase.dig("token", "signing_key") || "config"))
    JwtTestSigner.sign(claims, key, alg)
  end

  let(:auth) do
    config = vectors.fetch("auth_config")
    PipelineGuard::OpenBao::JwtAuth.new(bound_issuer: config["bound_issuer"],
                                        jwt_validation_pubkeys: config["jwt_validation_pubkeys"])
  end

  before do
    vectors.fetch("roles").each { |name, entry| auth.write_cel_role(name, **keywords(entry.fetch("role"))) }
  end

  it "answers every recorded login as OpenBao did" do
    mismatches = vectors.fetch("cases").filter_map do |kase|
      role = kase.fetch("login_role", kase.fetch("role_name"))
      begin
        login = auth.cel_login(role:, jwt: token_for(vectors, kase, now), now: Time.at(now))
        got = { "result" => "accepted", "policies" => login.policies, "display_name" => login.display_name,
                "alias_name" => login.alias_name, "lease_duration" => login.lease_duration,
                "metadata" => login.metadata.empty? ? nil : login.metadata }
        want = kase.slice("result", "policies", "display_name", "alias_name", "lease_duration", "metadata")
      rescue PipelineGuard::OpenBao::AuthError => e
        got = { "result" => "rejected", "error" => e.message }
        want = { "result" => kase["result"], "error" => kase["error"] }
      end
      "case #{kase['id']}: #{got} != #{want}" unless got == want
    end
    expect(mismatches).to be_empty, mismatches.join("\n")
  end

  it "refuses every role OpenBao refused, with its text" do
    vectors.fetch("invalid_roles").each do |entry|
      program = entry.dig("role", "cel_program")
      expect { auth.write_cel_role(entry["role_name"], cel_program: program) }
        .to raise_error(PipelineGuard::OpenBao::RoleError) { |e| expect(e.message).to eq(entry["error"]) }
    end
  end

  it "logs many tokens in, in order, with errors as values" do
    kases = vectors.fetch("cases").select { |k| k["role_name"] == "gl001" && !k.key?("login_role") }
    tokens = kases.map { |k| token_for(vectors, k, now) } * 4
    results = auth.cel_login_many(role: "gl001", jwts: tokens, now: Time.at(now))
    expect(results.size).to eq(tokens.size)
    results.zip(kases * 4).each do |result, kase|
      expect(result.is_a?(PipelineGuard::OpenBao::JwtAuth::Login)).to eq(kase["result"] == "accepted")
    end
  end

  it "runs the claims-only path with the same answers" do
    kase = vectors.fetch("cases").find { |k| k["role_name"] == "gl002" && k["result"] == "accepted" }
    claims = kase.fetch("claims").reject { |k, _| k.end_with?("_offset") }
                 .merge("iat" => now, "exp" => now + 30)
    login = auth.cel_role("gl002").authenticate(claims, now: Time.at(now))
    expect([login.alias_name, login.policies, login.cel?]).to eq([kase["alias_name"], kase["policies"], true])
  end
end
