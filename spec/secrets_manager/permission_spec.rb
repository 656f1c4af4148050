# frozen_string_literal: true

RSpec.describe PipelineGuard::SecretsManager::Permission do
  def permission(**kw)
    described_class.new(principal_type: :user, principal_id: 7, actions: [:read], **kw)
  end

  it "takes its keywords natively (no Ruby wrapper passing them by position)", :gc_stress do
    expect(described_class.method(:new).source_location).to be_nil
    expect(described_class).not_to respond_to(:_new)
    at = Time.utc(2031, 5, 6)
    perm = described_class.new(principal_type: "role", principal_id: :maintainer, actions: :read, expired_at: at,
                               granted_by: 9, now: Date.new(2030, 1, 1))
    expect(perm).to be_frozen
    expect(perm).to have_attributes(principal_type: :role, principal_id: 40, actions: [:read], expired_at: at,
                                    granted_by: 9)
    expect(described_class.new(principal_type: :user, principal_id: 3, actions: %w[read write],
                               expired_at: Date.new(2031, 1, 2)).expired_at).to eq(Time.utc(2031, 1, 2))
    expect { described_class.new(principal_type: :user, principal_id: 3) }
      .to raise_error(ArgumentError, "missing keyword: :actions")
    expect { described_class.new(principal_type: :user, principal_id: 3, actions: [:read], why: 1) }
      .to raise_error(ArgumentError, "unknown keyword: :why")
    expect { described_class.new(principal_type: :robot, principal_id: 3, actions: [:read]) }
      .to raise_error(PipelineGuard::SecretsManager::InvalidRecord, /principal_type must be one of/)
    expect { described_class.new(principal_type: :user, principal_id: 3, actions: [:read], expired_at: 1.5) }
      .to raise_error(TypeError, "expired_at must be a Time, Date, String or Integer")
    expect { described_class.new(principal_type: :user, principal_id: :nobody, actions: [:read]) }
      .to raise_error(TypeError)
  end

  it "names policies after the principal, as GitLab does", :gc_stress do
    {
      [:user, 7] => "users/direct/user_7",
      [:member_role, 9] => "users/direct/member_role_9", [:role, 30] => "users/roles/30"
    }.each do |(type, id), name|
      perm = described_class.new(principal_type: type, principal_id: id, actions: [:read])
      expect(perm.to_openbao_policy.first).to eq(name)
      expect(perm.policy_name).to eq(name)
      expect(perm.principal_type).to eq(type)
      expect(perm.principal_id).to eq(id)
    end
    expect(described_class.new(principal_type: :role, principal_id: :maintainer, actions: [:read]).policy_name)
      .to eq("users/roles/40")
  end

  it "renders GitLab's management policy: never a value read, list/scan added" do
    name, hcl = permission(actions: %i[read write]).to_openbao_policy
    expect(name).to eq("users/direct/user_7")
    expect(hcl).to eq(<<~HCL)
      path "secrets/kv/data/explicit/*" {
        capabilities = ["create", "update", "list", "scan"]
      }

      path "secrets/kv/metadata/explicit/*" {
        capabilities = ["read", "create", "update", "list", "scan"]
      }

      path "secrets/kv/detailed-metadata/explicit/*" {
        capabilities = ["list"]
      }
    HCL
    all = permission(actions: %i[read read_value write delete])
    expect(all.to_openbao_policy.last.split("\n\n").first).not_to include('"read"')
    expect(all.openbao_policies.keys).to eq(%w[users/direct/user_7 api/users/direct/user_7])
    expect(all.openbao_policies(format: :json)["api/users/direct/user_7"]).to eq(
      '{"path":{"secrets/kv/data/explicit/*":{"capabilities":["read"]},' \
      '"secrets/kv/metadata/explicit/*":{"capabilities":["list"]},' \
      '"secrets/kv/detailed-metadata/explicit/*":{"capabilities":["list"]}}}'
    )
    expect(permission(actions: %i[read write]).openbao_policies.keys).to eq(["users/direct/user_7"])
  end

  it "writes the expiry and the grantor into every path" do
    perm = permission(expired_at: Date.new(2031, 2, 3), granted_by: 1)
    expect(perm.expired_at).to eq(Time.utc(2031, 2, 3))
    expect(perm.granted_by).to eq(1)
    hcl = perm.to_openbao_policy.last
    expect(hcl.scan('expiration = "2031-02-03T00:00:00Z"').size).to eq(3)
    expect(hcl.scan('comment = "1"').size).to eq(3)
    expect(perm.expired?(now: Time.utc(2031, 2, 2, 23, 59, 59))).to be(false)
    expect(perm.expired?(now: Time.utc(2031, 2, 3))).to be(true)
    expect(permission(expired_at: Time.utc(2031, 1, 1, 12)).expired_at).to eq(Time.utc(2031, 1, 1, 12))
    expect(permission(expired_at: "2031-01-01T12:00:00+02:00").expired_at).to eq(Time.utc(2031, 1, 1, 10))
  end

  it "validates like GitLab with InvalidRecord" do
    invalid = PipelineGuard::SecretsManager::InvalidRecord
    expect { permission(actions: [:write]) }
      .to raise_error(invalid, "actions must include read, read_metadata, or read_value")
    expect { permission(actions: %i[read admin]) }.to raise_error(invalid, "actions contains invalid action: admin")
    expect { permission(expired_at: Time.now - 60) }.to raise_error(invalid, "expired_at must be in the future")
    expect { permission(expired_at: "soon") }.to raise_error(invalid, /RFC3339/)
    expect { described_class.new(principal_type: :robot, principal_id: 1, actions: [:read]) }
      .to raise_error(invalid, /principal_type/)
    # GitLab 19.4: USER, MEMBER_ROLE and ROLE principals; roles 20, 30, 40.
    [10, 50, :owner].each do |level|
      expect { described_class.new(principal_type: :role, principal_id: level, actions: [:read]) }
        .to raise_error(invalid, "principal_id must be one of: reporter (20), developer (30), maintainer (40)")
    end
    %i[group Group GROUP].each do |type|
      expect { described_class.new(principal_type: type, principal_id: 3, actions: [:read]) }
        .to raise_error(invalid, "principal_type must be one of: User, Role, MemberRole")
    end
    expect { permission(expired_at: 1.5) }.to raise_error(TypeError)
    expect(permission(expired_at: Time.utc(2020, 1, 1), now: Time.utc(2019, 1, 1)).expired_at.year).to eq(2020)
  end

  it "renders GitLab 19.4's default role policies: project Owner and Maintainer, group Owner" do
    project = described_class.default_role_policies(:project, format: :json)
    expect(project.keys).to eq(%w[users/roles/50 users/roles/40])
    expect(project["users/roles/50"]).to eq(
      '{"path":{"secrets/kv/data/explicit/*":{"capabilities":["create","update","delete","list","scan"]},' \
      '"secrets/kv/metadata/explicit/*":{"capabilities":["read","create","update","delete","list","scan"]},' \
      '"secrets/kv/detailed-metadata/explicit/*":{"capabilities":["list"]}}}'
    )
    maintainer = described_class.new(principal_type: :role, principal_id: 40, actions: %i[read write])
    expect(project["users/roles/40"]).to eq(maintainer.openbao_policies(format: :json)["users/roles/40"])
    owner_only = described_class.default_role_policies.slice("users/roles/50")
    expect(described_class.default_role_policies(:group)).to eq(owner_only)
    expect(described_class.default_role_policies).to include("users/roles/50" => start_with("path "))
    expect { described_class.default_role_policies(:instance) }.to raise_error(ArgumentError)
  end

  it "is immutable and says nothing secret in inspect" do
    perm = permission(actions: %i[read delete])
    expect(perm).to be_frozen
    expect(perm.actions).to eq(%i[read delete])
    expect(perm.inspect)
      .to eq("#<PipelineGuard::SecretsManager::Permission user=7 actions=[:read, :delete] expired_at=nil>")
  end
end

RSpec.describe PipelineGuard::SecretsManager::Secret do
  it "validates names, scopes and descriptions" do
    secret = described_class.new(name: "DB_PASSWORD_1", environment: "review/*", protected: true, description: "d")
    expect(secret.to_h).to eq(name: "DB_PASSWORD_1", environment: "review/*", branch: "*", protected: true,
                              description: "d")
    expect(secret).to be_frozen
    expect(secret).to eq(described_class.new(name: "DB_PASSWORD_1", environment: "review/*", protected: true,
                                             description: "d"))
    invalid = PipelineGuard::SecretsManager::InvalidRecord
    ["", "a-b", "a b", "ünicode", "a/b", "a" * 256].each do |bad|
      expect { described_class.new(name: bad) }.to raise_error(invalid, /secret name/)
    end
    expect do
      described_class.new(name: "A",
                          environment: "")
    end.to raise_error(invalid, "invalid environment scope: must not be empty")
    expect { described_class.new(name: "A", branch: "x" * 1025) }.to raise_error(invalid, /branch scope/)
    expect { described_class.new(name: "A", description: "d" * 201) }.to raise_error(invalid, /description/)
    expect { described_class.new(name: :A) }.to raise_error(TypeError)
  end
end
