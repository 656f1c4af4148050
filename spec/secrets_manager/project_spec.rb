# frozen_string_literal: true

RSpec.describe PipelineGuard::SecretsManager::Project do
  subject(:project) { described_class.new(project_id: 42) }

  let(:sm) { PipelineGuard::SecretsManager }
  let(:now) { Time.utc(2030, 1, 1) }

  it "takes its keywords natively (no Ruby wrapper passing them by position)" do
    expect(described_class.method(:new).source_location).to be_nil
    expect(described_class.method(:group).source_location).to be_nil
    expect(described_class).not_to respond_to(:_new)
    expect(described_class.group(group_id: 9)).to have_attributes(id: 9, kind: :group)
    expect(described_class.new(project_id: 8)).to have_attributes(id: 8, kind: :project)
    expect { described_class.new }.to raise_error(ArgumentError, "missing keyword: :project_id")
    expect { described_class.new(project_id: 1, x: 2) }.to raise_error(ArgumentError, "unknown keyword: :x")
    expect { described_class.group(project_id: 1) }.to raise_error(ArgumentError)
    expect { described_class.new(8) }.to raise_error(ArgumentError)
    expect { described_class.new(project_id: "8") }.to raise_error(TypeError)
  end

  def user(level = nil, **kw)
    { user_id: 7, group_ids: [3], access_level: level, member_role_id: nil }.merge(kw)
  end

  before { project.upsert_secret(sm::Secret.new(name: "DB")) }

  describe "#user_can? with GitLab 19.4's default role permissions" do
    # action => levels allowed (nil = no membership); 19.4 provisions Owner
    # and Maintainer policies only.
    matrix = {
      read: [40, 50], read_metadata: [40, 50], read_value: [], create: [40, 50],
      update: [40, 50], delete: [50]
    }
    matrix.each do |action, allowed|
      [nil, 10, 20, 30, 40, 50].each do |level|
        expected = allowed.include?(level)
        it "#{expected ? 'lets' : 'stops'} level #{level.inspect} #{action}" do
          name = action == :create ? "NEW" : "DB"
          expect(project.user_can?(user(level), action, name)).to be(expected)
        end
      end
    end

    it "needs the secret to exist except for create, and a valid name", :gc_stress do
      expect(project.user_can?(user(50), :read, "MISSING")).to be(false)
      expect(project.user_can?(user(50), :create, "MISSING")).to be(true)
      expect(project.user_can?(user(50), :read, "bad-name")).to be(false)
      expect(project.user_can?(user(:owner), :delete, "DB")).to be(true)
      expect { project.user_can?(user(50), :admin, "DB") }
        .to raise_error(sm::InvalidRecord, "actions contains invalid action: admin")
      expect { project.user_can?(user(:admin), :read, "DB") }.to raise_error(sm::InvalidRecord)
      expect { project.user_can?(7, :read, "DB") }.to raise_error(TypeError)
    end
  end

  describe "explicit permissions" do
    it "grant users, member roles and roles, and expire" do
      changes = project.set_permission(sm::Permission.new(principal_type: :role, principal_id: 20,
                                                          actions: %i[read read_value delete],
                                                          expired_at: now, now: now - 3600))
      expect(changes.keys).to eq(%w[users/roles/20 api/users/roles/20])
      reporter = user(20)
      expect(project.user_can?(reporter, :read_value, "DB", now: now - 1)).to be(true)
      expect(project.user_can?(reporter, :delete, "DB", now: now - 1)).to be(true)
      expect(project.user_can?(reporter, :delete, "DB", now:)).to be(false)
      expect(project.user_can?(reporter, :update, "DB", now: now - 1)).to be(false)
      expect(project.user_can?(user(30), :delete, "DB", now: now - 1)).to be(false)

      project.set_permission(sm::Permission.new(principal_type: :user, principal_id: 8, actions: %i[read write]))
      expect(project.user_can?(user(nil, user_id: 8, group_ids: []), :update, "DB")).to be(true)
      expect(project.user_can?(user(nil, user_id: 8, group_ids: []), :delete, "DB")).to be(false)

      project.set_permission(sm::Permission.new(principal_type: :member_role, principal_id: 9,
                                                actions: [:read_metadata]))
      expect(project.user_can?(user(nil, group_ids: [], member_role_id: 9), :read, "DB")).to be(true)
      expect(project.user_can?(user(nil, group_ids: [], member_role_id: 10), :read, "DB")).to be(false)

      project.set_permission(sm::Permission.new(principal_type: :role, principal_id: 20, actions: %i[read write]))
      expect(project.user_can?(user(20, group_ids: []), :update, "DB")).to be(true)
      expect(project.delete_permission(principal_type: :role, principal_id: 20)).to be(true)
      expect(project.delete_permission(principal_type: :role, principal_id: 20)).to be(false)
      expect(project.user_can?(user(20, group_ids: []), :update, "DB")).to be(false)
    end

    it "replaces a principal's whole capability set on every write" do
      project.set_permission(sm::Permission.new(principal_type: :user, principal_id: 7, actions: %i[read delete]))
      expect(project.user_can?(user, :delete, "DB")).to be(true)
      project.set_permission(sm::Permission.new(principal_type: :user, principal_id: 7, actions: [:read]))
      expect(project.user_can?(user, :delete, "DB")).to be(false)
      expect(project.user_can?(user, :read, "DB")).to be(true)
    end

    it "gives owners no value reads: 19.4 takes no Owner grant" do
      expect(project.user_can?(user(50), :read_value, "DB")).to be(false)
      message = "principal_id must be one of: reporter (20), developer (30), maintainer (40)"
      expect { sm::Permission.new(principal_type: :role, principal_id: 50, actions: %i[read read_value]) }
        .to raise_error(sm::InvalidRecord, message)
    end

    it "takes Owners' access away with the Owner role policy, as OpenBao does" do
      expect(project.user_can?(user(50), :delete, "DB")).to be(true)
      expect(project.delete_permission(principal_type: :role, principal_id: 50)).to be(true)
      %i[read create update delete].each do |action|
        expect(project.user_can?(user(50), action, action == :create ? "NEW" : "DB")).to be(false)
      end
    end

    it "gives group memberships nothing and refuses group principals (gone in 19.4)" do
      expect(project.user_can?(user(nil, group_ids: [3]), :read, "DB")).to be(false)
      expect { sm::Permission.new(principal_type: :group, principal_id: 3, actions: [:read]) }
        .to raise_error(sm::InvalidRecord, "principal_type must be one of: User, Role, MemberRole")
      expect { project.delete_permission(principal_type: :group, principal_id: 3) }
        .to raise_error(sm::InvalidRecord, "principal_type must be one of: User, Role, MemberRole")
    end
  end

  describe "revoking access names the OpenBao policies to delete" do
    let(:grant) { ->(*actions) { sm::Permission.new(principal_type: :user, principal_id: 7, actions:) } }

    it "maps the api/ policy to nil when read_value is revoked" do
      expect(project.set_permission(grant.call(:read, :read_value)).keys)
        .to eq(%w[users/direct/user_7 api/users/direct/user_7])
      changes = project.set_permission(grant.call(:read))
      expect(changes).to be_a(sm::PolicyChanges)
      expect(changes.keys).to eq(%w[users/direct/user_7 api/users/direct/user_7])
      expect(changes["users/direct/user_7"]).to include("secrets/kv/metadata/explicit/*")
      expect(changes["api/users/direct/user_7"]).to be_nil
    end

    it "maps every policy of a deleted permission to nil" do
      project.set_permission(grant.call(:read, :read_value))
      expect(project.revoke_permission(principal_type: :user, principal_id: 7))
        .to eq("users/direct/user_7" => nil, "api/users/direct/user_7" => nil)
      expect(project.revoke_permission(principal_type: :user, principal_id: 7)).to be_empty
      expect(project.delete_permission(principal_type: :role, principal_id: 40)).to be(true)
      expect(project.delete_permission(principal_type: :role, principal_id: 40)).to be(false)
      expect(project.revoke_permission(principal_type: :role, principal_id: 50)).to eq("users/roles/50" => nil)
    end
  end

  describe "pipeline scopes" do
    def claims(**extra)
      { "sub" => "project_path:g/p:ref_type:branch:ref:main", "secrets_manager_scope" => "pipeline",
        "project_id" => "42", "user_id" => "1", "ref" => "main", "ref_type" => "branch",
        "ref_protected" => "false" }.merge(extra.transform_keys(&:to_s))
    end

    before do
      [
        { name: "PROD", environment: "production" }, { name: "MAIN", branch: "main" },
        { name: "PROD_MAIN", environment: "production", branch: "main" },
        { name: "REVIEW", environment: "review/*" }, { name: "RELEASE", branch: "release/*" },
        { name: "REVIEW_RELEASE", environment: "review/*", branch: "release/*" },
        { name: "PROTECTED", protected: true }, { name: "PROD_PROTECTED", environment: "production", protected: true }
      ].each { |s| project.upsert_secret(sm::Secret.new(**s)) }
    end

    it "matches global, environment, branch and combined scopes", :gc_stress do
      expect(project.pipeline_secrets(claims(environment: "production"))).to eq(%w[DB MAIN PROD PROD_MAIN])
      expect(project.pipeline_secrets(claims)).to eq(%w[DB MAIN])
      expect(project.pipeline_secrets(claims(environment: "staging", ref: "dev"))).to eq(%w[DB])
    end

    it "never matches branch scopes for tags" do
      got = project.pipeline_secrets(claims(environment: "production", ref_type: "tag"))
      expect(got).to eq(%w[DB PROD])
      expect(project.pipeline_secrets(claims(ref: "release/1", ref_type: "tag"))).to eq(%w[DB])
    end

    it "matches wildcard scopes like review/* and release/*" do
      expect(project.pipeline_secrets(claims(environment: "review/feature/x", ref: "release/1.0")))
        .to eq(%w[DB RELEASE REVIEW REVIEW_RELEASE])
      expect(project.pipeline_secrets(claims(environment: "review/"))).to eq(%w[DB MAIN REVIEW])
      expect(project.pipeline_secrets(claims(environment: "review"))).to eq(%w[DB MAIN])
      expect(project.pipeline_secrets(claims(environment: "staging/review/x"))).to eq(%w[DB MAIN])
    end

    it "gives protected secrets only to protected refs" do
      expect(project.pipeline_secrets(claims(environment: "production", ref_protected: "true")))
        .to eq(%w[DB MAIN PROD PROD_MAIN PROD_PROTECTED PROTECTED])
      expect(project.pipeline_secrets(claims(ref_protected: true))).to include("PROTECTED")
      expect(project.pipeline_secrets(claims(ref_protected: "TRUE"))).not_to include("PROTECTED")
    end

    it "matches the module function on the same secrets, with Hash or Secret input" do
      secrets = [sm::Secret.new(name: "A", environment: "review/*"), { name: "B", branch: "main" },
                 { "name" => "C", "protected" => true }]
      expect(sm.pipeline_secrets(secrets, claims(environment: "review/x"))).to eq(%w[A B])
      expect(sm.pipeline_secrets(secrets, claims(ref_protected: "true"), project_id: 42)).to eq(%w[B C])
      expect { sm.pipeline_secrets([{ name: "bad-name" }], claims) }.to raise_error(sm::InvalidRecord)
      expect { sm.pipeline_secrets([1], claims) }.to raise_error(TypeError)
    end

    it "refuses a list that names a secret twice instead of picking one entry" do
      twice = [{ name: "DB", environment: "production" }, { name: "DB", environment: "staging" }]
      expect { sm.pipeline_secrets(twice, claims(environment: "staging")) }
        .to raise_error(sm::InvalidRecord, 'secret name "DB" appears more than once')
    end

    it "refuses tokens GitLab's pipeline role would refuse" do
      auth = PipelineGuard::OpenBao::AuthError
      expect { project.pipeline_secrets(claims(project_id: "41")) }
        .to raise_error(auth, "token project_id does not match project")
      expect { project.pipeline_secrets(claims(secrets_manager_scope: "user")) }
        .to raise_error(auth, "invalid secrets_manager_scope")
      expect { project.pipeline_secrets(claims(sub: "user:1")) }.to raise_error(auth, /invalid subject/)
      expect { project.pipeline_secrets(claims(environment: ["x"])) }.to raise_error(auth, /unsupported type/)
      expect { project.pipeline_secrets(claims(environment: Object.new)) }.to raise_error(TypeError)
      expect(project.pipeline_secrets(claims(project_id: 42))).to eq(%w[DB MAIN])
    end
  end

  describe "incremental CI policies" do
    it "report exactly the changed policies, and equal a full render" do
      rng = Random.new(RSpec.configuration.seed)
      applied = project.ci_policies
      live = { "DB" => sm::Secret.new(name: "DB") }
      scopes = ["*", "production", "review/*", "main", "release/*", "a*b"]
      300.times do
        name = "S#{rng.rand(25)}"
        changes =
          if rng.rand < 0.25
            live.delete(name)
            project.remove_secret(name)
          else
            secret = sm::Secret.new(name:, environment: scopes.sample(random: rng), branch: scopes.sample(random: rng),
                                    protected: rng.rand < 0.3)
            live[name] = secret
            project.upsert_secret(secret)
          end
        changes.each { |policy, doc| doc ? applied[policy] = doc : applied.delete(policy) }
      end
      fresh = described_class.new(project_id: 42)
      live.each_value { |s| fresh.upsert_secret(s) }
      expect(applied).to eq(fresh.ci_policies)
      expect(project.ci_policies).to eq(fresh.ci_policies)
      expect(project.token_policies).to eq(fresh.token_policies)
      expect(project.secret_count).to eq(live.size)
    end

    it "returns token policies only when they change" do
      first = project.upsert_secret(sm::Secret.new(name: "R", environment: "review/*"))
      expect(first).to eq("pipelines/env/7265766965772f2a" => project.ci_policies["pipelines/env/7265766965772f2a"])
      expect(first.token_policies_changed?).to be(true)
      expect(first.token_policies.size).to eq(5)
      expect(project.upsert_secret(sm::Secret.new(name: "R", environment: "review/*"))).to eq({})
      second = project.upsert_secret(sm::Secret.new(name: "R2", environment: "review/*"))
      expect(second.token_policies).to be_nil
      removed = project.remove_secret("R")
      expect(removed.keys).to eq(["pipelines/env/7265766965772f2a"])
      expect(project.remove_secret("R2")).to eq("pipelines/env/7265766965772f2a" => nil)
      expect(project.remove_secret("R2")).to eq({})
      expect(project.ci_policies(format: :json)).to eq(
        "pipelines/global" => '{"path":{"secrets/kv/data/explicit/DB":{"capabilities":["read"]},' \
                              '"secrets/kv/metadata/explicit/DB":{"capabilities":["read"]}}}'
      )
      expect { project.ci_policies(format: :yaml) }.to raise_error(ArgumentError)
    end
  end

  it "serves reads while other threads update" do
    claims = { sub: "project_path:g/p", secrets_manager_scope: "pipeline", project_id: "42", user_id: "1",
               environment: "review/x" }
    writer = Thread.new do
      1000.times { |i| project.upsert_secret({ name: "T#{i % 20}", environment: i.even? ? "review/*" : "prod" }) }
    end
    readers = Array.new(3) do
      Thread.new do
        500.times.all? do
          project.pipeline_secrets(claims).include?("DB") && project.user_can?(user(50), :read, "DB")
        end
      end
    end
    writer.join
    expect(readers.map(&:value)).to all(be(true))
  end

  it "gives a group secrets manager the Owner role policy only (19.4)" do
    group = described_class.group(group_id: 5)
    group.upsert_secret({ name: "DB" })
    expect(group.user_can?(user(50), :delete, "DB")).to be(true)
    expect([20, 30, 40].map { |level| group.user_can?(user(level), :read, "DB") }).to all(be(false))
  end

  it "supports group secrets managers and refuses copies" do
    group = described_class.group(group_id: 5)
    expect(group.kind).to eq(:group)
    expect(group.upsert_secret({ name: "G", protected: true }).keys).to eq(["pipelines/combined/protected/global"])
    expect(group.pipeline_secrets(sub: "project_path:x", secrets_manager_scope: "pipeline", project_id: "99",
                                  user_id: "1", ref_protected: "true")).to eq(["G"])
    expect { project.dup }.to raise_error(TypeError)
    expect(project.inspect).to eq("#<PipelineGuard::SecretsManager::Project project=42 secrets=1>")
  end
end
