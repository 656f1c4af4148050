# frozen_string_literal: true

# Group pipelines: GitLab 19.4 gives a protected job both protection levels'
# policies, and only jobs of projects inside the group get anything.
RSpec.describe GroupPipelineAccess do
  subject(:access) do
    described_class.new(group, [{ name: "SHARED", environment: "*", protected: false },
                                { name: "PROTECTED_ONLY", environment: "*", protected: true },
                                { name: "PROD", environment: "production", protected: false },
                                { name: "PROD_PROTECTED", environment: "production", protected: true }])
  end

  let(:maintainer) { user_with(40) }

  def claims_for(ref, environment: nil)
    add_ref(ref) unless RepositoryRef.exists?(name: ref)
    define_job("job-#{Ci::JobDefinition.count}", environment:)
    create_pipeline(ref, as: maintainer)
    IdTokens.verify(IdTokens.for_build(Ci::Build.last))
  end

  before do
    enable_secrets_manager!(project)
    protect_branch("main")
  end

  it "gives a protected job the protected and the unprotected policies, in GitLab's order" do
    claims = claims_for("main", environment: "production")
    env = "production".unpack1("H*")
    expect(access.policies(claims)).to eq(["pipelines/combined/protected/global",
                                           "pipelines/combined/unprotected/global",
                                           "pipelines/combined/protected/env/#{env}",
                                           "pipelines/combined/unprotected/env/#{env}"])
    expect(access.readable(claims)).to eq(%w[PROD PROD_PROTECTED PROTECTED_ONLY SHARED])
  end

  it "gives an unprotected job the unprotected policies only" do
    claims = claims_for("feature")
    expect(access.policies(claims)).to eq(["pipelines/combined/unprotected/global"])
    expect(access.readable(claims)).to eq(%w[SHARED])
  end

  it "refuses a project outside the group, and a token without project_group_ids, with the CEL texts" do
    claims = claims_for("feature")
    outside = described_class.new(Group.create!(full_path: "other"),
                                  [{ name: "X", environment: "*", protected: false }])
    expect { outside.readable(claims) }.to raise_error(GroupPipelineAccess::Denied, "project does not belong to group")
    expect { access.policies(claims.except("project_group_ids")) }
      .to raise_error(GroupPipelineAccess::Denied, "missing project_group_ids claim")
    expect { access.readable(claims.merge("project_group_ids" => [])) }
      .to raise_error(GroupPipelineAccess::Denied, "missing project_group_ids claim")
  end

  it "puts the project's ancestor groups in project_group_ids" do
    sub = Group.create!(full_path: "acme/team")
    nested = Project.create!(full_path: "acme/team/app", group: sub)
    expect(IdTokens.project_group_ids(nested)).to eq([group.id, sub.id])
    expect(IdTokens.project_group_ids(Project.create!(full_path: "lonely"))).to eq([])
  end
end

# People and group secrets: GitLab 19.4 gives a group's Owners everything
# but values by default; anyone else needs a group permission.
RSpec.describe GroupAccess do
  before { enable_secrets_manager!(group) }

  def can(user, action, name = "SHARED")
    described_class.for(group, secrets: [{ name: "SHARED", environment: "*", protected: false }])
                   .user_can_many(Authz.user_context(user, group), action, [name]).first
  end

  it "lets Owners manage, Maintainers nothing by default, and a group grant open it up" do
    owner = user_with(50, path: "acme")
    maintainer = user_with(40, path: "acme")
    expect(%i[read create update delete].map { |a| can(owner, a) }).to eq([true] * 4)
    expect(can(owner, :read_value)).to be(false)
    expect(%i[read create update delete].map { |a| can(maintainer, a) }).to eq([false] * 4)
    GroupSecretsPermissionRecord.create!(group:, principal_type: "Role", principal_id: 40, actions: %w[read write])
    expect(%i[read create update delete].map { |a| can(maintainer, a) }).to eq([true, true, true, false])
  end
end
