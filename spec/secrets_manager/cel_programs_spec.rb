# frozen_string_literal: true

require "json"
require_relative "../spec_helper"

RSpec.describe PipelineGuard::SecretsManager::CelPrograms do
  vectors_path = File.expand_path("../../../shared/vectors/openbao/cel_role_cases.json", __dir__)
  vectors = File.exist?(vectors_path) ? JSON.parse(File.read(vectors_path)) : nil
  aud = "https://openbao.example.com"
  let(:now) { Time.at(1_750_000_000) }
  let(:aud) { aud }

  let(:auth) { PipelineGuard::OpenBao::JwtAuth.new(bound_issuer: "", jwks: { "keys" => [] }) }

  context "with the programs OpenBao received (recorded vectors)" do
    before { skip "#{vectors_path} not found" unless vectors }

    {
      "gl001" => -> { described_class.project_pipeline(project_id: 36_148, aud:) },
      "gl002" => -> { described_class.project_user(project_id: "82497", aud:) },
      "gl003" => -> { described_class.group_pipeline(group_id: 527, aud:) }
    }.each do |name, build|
      it "builds #{name}'s cel_program byte for byte" do
        want = vectors.dig("roles", name, "role", "cel_program")
        expect(JSON.generate(instance_exec(&build))).to eq(JSON.generate(want))
      end
    end
  end

  def claims(extra)
    { "iat" => now.to_i, "exp" => now.to_i + 60, "aud" => aud, "user_id" => "7",
      "role_id" => "30", "correlation_id" => "c1" }.merge(extra)
  end

  it "builds user and API programs OpenBao accepts, with GitLab's policies" do
    cases = {
      described_class.project_api(project_id: 9, aud:) =>
        [{ "sub" => "user:alice", "secrets_manager_scope" => "api", "project_id" => "9", "groups" => [3] },
         %w[api/users/direct/group_3 api/users/direct/user_7 api/users/roles/30 default]],
      described_class.group_user(group_id: 4, aud:) =>
        [{ "sub" => "user:alice", "secrets_manager_scope" => "user", "group_id" => "4", "member_role_id" => "5" },
         %w[default users/direct/member_role_5 users/direct/user_7 users/roles/30]],
      described_class.group_api(group_id: 4, aud:) =>
        [{ "sub" => "user:alice", "secrets_manager_scope" => "api", "group_id" => "4" },
         %w[api/users/direct/user_7 api/users/roles/30 default]],
      described_class.project_user(project_id: 9, aud:, groups: true) =>
        [{ "sub" => "user:alice", "secrets_manager_scope" => "user", "project_id" => "9", "groups" => ["8"] },
         %w[default users/direct/group_8 users/direct/user_7 users/roles/30]]
    }
    cases.each_with_index do |(program, (extra, policies)), i|
      role = auth.write_cel_role("r#{i}", **described_class.role(program, aud:))
      login = role.authenticate(claims(extra), now:)
      expect([login.policies, login.alias_name, login.lease_duration]).to eq([policies, "gitlab-user:7", 300])
    end
  end

  it "refuses what GitLab's programs refuse, with their messages" do
    role = auth.write_cel_role("g", **described_class.role(described_class.group_api(group_id: 4, aud:), aud:))
    expect { role.authenticate(claims("sub" => "user:a", "secrets_manager_scope" => "api", "group_id" => "5"), now:) }
      .to raise_error(PipelineGuard::OpenBao::AuthError,
                      /blocked authorization with message: token group_id does not match group\z/)
  end
end
