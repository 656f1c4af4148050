# frozen_string_literal: true

RSpec.describe PipelineGuard::RBAC::Model do
  subject(:rbac) { described_class.new }

  let(:now) { Time.utc(2030, 1, 1) }

  describe "built-in secrets-manager roles" do
    before do
      rbac.add_membership(1, "group/sub", access_level: :reporter)
      rbac.add_membership(2, "group", access_level: 50)
      rbac.add_membership(3, "group/sub/project", access_level: :guest)
    end

    it "inherits from a group to its subgroups and projects, not to siblings", :gc_stress do
      expect(rbac.can?(1, :read_secret, "group/sub")).to be(true)
      expect(rbac.can?(1, :read_secret, "group/sub/project")).to be(true)
      expect(rbac.can?(1, :read_secret, "group/sub/a/b/c")).to be(true)
      expect(rbac.can?(1, :read_secret, "group/subway")).to be(false)
      expect(rbac.can?(1, :read_secret, "group")).to be(false)
      expect(rbac.can?(1, "read_secret", "group/sub/project")).to be(true)
    end

    it "grants each level its abilities" do
      expect(rbac.can?(1, :admin_project_secrets_manager, "group/sub")).to be(false)
      expect(rbac.can?(2, :admin_project_secrets_manager, "group/sub/project")).to be(true)
      expect(rbac.can?(3, :read_secret, "group/sub/project")).to be(false)
      expect(rbac.abilities(3, "group/sub/project")).to eq([])
      expect(rbac.abilities(1, "group/sub")).to include(:read_secret, :delete_project_secrets)
      expect(rbac.abilities(1, "group/sub")).not_to include(:update_secrets_permission)
      expect(rbac.abilities(2, "group")).to eq(rbac.abilities(2, "group").sort)
      expect(rbac.max_access_level(2, "group/x")).to eq(50)
      expect(rbac.max_access_level(3, "group/sub/project")).to eq(10)
      expect(rbac.max_access_level(9, "group")).to be_nil
    end

    it "answers false for unknown users, unknown abilities and malformed paths" do
      expect(rbac.can?(99, :read_secret, "group/sub")).to be(false)
      expect(rbac.can?(1, :no_such_ability, "group/sub")).to be(false)
      ["", "/group/sub", "group//sub", "group/sub/"].each do |path|
        expect(rbac.can?(1, :read_secret, path)).to be(false)
      end
    end

    it "unites memberships: the highest level and member-role abilities add up" do
      rbac.add_membership(1, "group/sub/app", access_level: :owner)
      expect(rbac.can?(1, :update_secrets_permission, "group/sub/app")).to be(true)
      expect(rbac.can?(1, :update_secrets_permission, "group/sub/other")).to be(false)
      expect(rbac.membership_count).to eq(4)
      expect(rbac.remove_membership(1, "group/sub/app")).to be(true)
      expect(rbac.remove_membership(1, "group/sub/app")).to be(false)
      expect(rbac.can?(1, :update_secrets_permission, "group/sub/app")).to be(false)
    end
  end

  describe "expiry" do
    it "counts a membership while now < expires_at (Time, Date or Integer)" do
      rbac.add_membership(1, "g", access_level: :developer, expires_at: now)
      rbac.add_membership(2, "g", access_level: :developer, expires_at: Date.new(2030, 1, 1))
      rbac.add_membership(3, "g", access_level: :developer, expires_at: now.to_i)
      [1, 2, 3].each do |user|
        expect(rbac.can?(user, :read_secret, "g/p", now: now - 1)).to be(true)
        expect(rbac.can?(user, :read_secret, "g/p", now:)).to be(false)
        expect(rbac.can?(user, :read_secret, "g/p", now: now.to_i + 10)).to be(false)
        expect(rbac.can_at?(user, :read_secret, "g/p", now - 1)).to be(true)
        expect(rbac.can_at?(user, :read_secret, "g/p", now.to_i)).to be(false)
        expect(rbac.abilities(user, "g", now:)).to eq([])
        expect(rbac.filter(user, :read_secret, ["g/a"], now: now - 1)).to eq(["g/a"])
        expect(rbac.filter(user, :read_secret, ["g/a"], now:)).to eq([])
      end
    end

    it "falls back to an inherited membership when a nearer one expires" do
      rbac.add_membership(1, "g", access_level: :reporter)
      rbac.add_membership(1, "g/p", access_level: :owner, expires_at: now)
      expect(rbac.can?(1, :admin_project_secrets_manager, "g/p", now: now - 1)).to be(true)
      expect(rbac.can?(1, :admin_project_secrets_manager, "g/p", now:)).to be(false)
      expect(rbac.can?(1, :read_secret, "g/p", now:)).to be(true)
    end
  end

  describe "blocked users" do
    it "have no abilities anywhere until unblocked" do
      rbac.add_membership(5, "g", access_level: :owner)
      rbac.block_user(5)
      expect(rbac.blocked?(5)).to be(true)
      expect(rbac.can?(5, :read_secret, "g")).to be(false)
      expect(rbac.abilities(5, "g")).to eq([])
      expect(rbac.filter(5, :read_secret, %w[g g/a])).to eq([])
      rbac.unblock_user(5)
      expect(rbac.can?(5, :read_secret, "g")).to be(true)
    end
  end

  describe "custom roles and member roles" do
    let(:roles) do
      { "levels" => { "reporter" => ["read_x"], "40" => ["admin_x"] },
        "member_roles" => [{ "id" => 7, "base_access_level" => 10, "abilities" => ["admin_x"] }] }
    end

    it "uses the given table and member roles on top of their base level" do
      model = described_class.new(roles:, member_roles: [{ id: 8, base_access_level: :reporter, abilities: [:extra] }])
      model.add_membership(1, "g", access_level: :guest, member_role_id: 7)
      model.add_membership(2, "g", access_level: :reporter, member_role_id: 8)
      model.add_membership(3, "g", access_level: :maintainer)
      expect(model.abilities(1, "g")).to eq([:admin_x])
      expect(model.abilities(2, "g/p")).to eq(%i[extra read_x])
      expect(model.abilities(3, "g")).to eq(%i[admin_x read_x])
      expect(model.can?(1, :read_secret, "g")).to be(false)
    end

    describe "a member role whose base level differs from the membership's level" do
      let(:owner_role) { { id: 9, base_access_level: :owner, abilities: [:extra] } }
      let(:mismatch) do
        "member role 9 has base access level 50 but the membership's access level is 10; they must be equal"
      end

      it "is refused by add_membership, and a replaced membership keeps its old grant" do
        model = described_class.new(member_roles: [owner_role])
        expect { model.add_membership(1, "g", access_level: :guest, member_role_id: 9) }
          .to raise_error(PipelineGuard::RBAC::DefinitionError, mismatch)
        expect(model.can?(1, :admin_project_secrets_manager, "g/p")).to be(false)
        expect(model.abilities(1, "g")).to eq([])
        expect(model.membership_count).to eq(0)

        model.add_membership(1, "g", access_level: :reporter)
        expect { model.add_membership(1, "g", access_level: 10, member_role_id: 9) }
          .to raise_error(PipelineGuard::RBAC::DefinitionError, /member role 9 has base access level 50/)
        expect(model.max_access_level(1, "g")).to eq(20)
        expect(model.can?(1, :update_secrets_permission, "g")).to be(false)

        model.add_membership(2, "g", access_level: :owner, member_role_id: 9)
        expect(model.abilities(2, "g")).to include(:extra, :admin_project_secrets_manager)
      end

      it "is refused by load and from_yaml" do
        doc = { "member_roles" => [owner_role],
                "memberships" => [{ "user_id" => 1, "path" => "g", "access_level" => "guest", "member_role_id" => 9 }] }
        expect { described_class.load(doc) }.to raise_error(PipelineGuard::RBAC::DefinitionError, mismatch)
        yaml = <<~YAML
          member_roles: [{ id: 9, base_access_level: 50, abilities: [extra] }]
          memberships:
            - { user_id: 1, path: g, access_level: 10, member_role_id: 9 }
        YAML
        expect { described_class.from_yaml(yaml) }.to raise_error(PipelineGuard::RBAC::DefinitionError, mismatch)
      end
    end

    it "accepts a plain levels Hash" do
      model = described_class.new(roles: { reporter: [:read_x] })
      model.add_membership(1, "g", access_level: 20)
      expect(model.can?(1, :read_x, "g/p")).to be(true)
    end

    it "rejects bad definitions and memberships with DefinitionError" do
      [
        { "levels" => { "super" => ["x"] } },
        { "levels" => { "reporter" => ["bad name"] } },
        { "levelz" => {}, "member_roles" => [] },
        { "member_roles" => [{ "id" => 1, "base_access_level" => 10 }, { "id" => 1, "base_access_level" => 20 }] }
      ].each do |bad|
        expect { described_class.new(roles: bad) }.to raise_error(PipelineGuard::RBAC::DefinitionError)
      end
      model = described_class.new(roles:)
      expect do
        model.add_membership(1, "g", access_level: 25)
      end.to raise_error(PipelineGuard::RBAC::DefinitionError, /25/)
      expect { model.add_membership(1, "g", access_level: :admin) }.to raise_error(PipelineGuard::RBAC::DefinitionError)
      expect { model.add_membership(1, "g", access_level: 20, member_role_id: 99) }
        .to raise_error(PipelineGuard::RBAC::DefinitionError, "unknown member role 99")
      expect { model.add_membership(1, "/g", access_level: 20) }.to raise_error(PipelineGuard::RBAC::DefinitionError)
    end

    it "loads from a Hash and from YAML" do
      yaml = <<~YAML
        roles:
          levels:
            developer: [read_x]
        memberships:
          - { user_id: 1, path: g/sub, access_level: developer }
          - { user_id: 2, path: g, access_level: 30, expires_at: 2030-01-01 }
        blocked_users: [3]
      YAML
      model = described_class.from_yaml(yaml)
      expect(model.can?(1, :read_x, "g/sub/p")).to be(true)
      expect(model.can?(2, :read_x, "g/p", now: now - 1)).to be(true)
      expect(model.can?(2, :read_x, "g/p", now:)).to be(false)
      expect(model.blocked?(3)).to be(true)
      expect { described_class.from_yaml("- 1") }.to raise_error(PipelineGuard::RBAC::DefinitionError)
      expect { described_class.from_yaml("a: [") }.to raise_error(PipelineGuard::RBAC::DefinitionError)
      expect { described_class.load({ memberships: [{ user_id: 1 }] }) }
        .to raise_error(PipelineGuard::RBAC::DefinitionError, /path/)
    end
  end

  describe "batch checks" do
    before { rbac.add_membership(1, "a/b", access_level: :developer) }

    let(:paths) { Array.new(3000) { |i| [format("a/b/p%d", i), format("a/c/p%d", i), "a/bb"][i % 3] } }

    it "filter keeps the allowed subset in order, equal to a loop of can?", :gc_stress do
      small = paths.first(30)
      expect(rbac.filter(1, :read_secret, small)).to eq(small.select { |p| rbac.can?(1, :read_secret, p) })
      expect(rbac.filter(1, :read_secret, small).first).to equal(small.first)
      expect(rbac.allowed_many(1, :read_secret, small)).to eq(small.map { |p| rbac.can?(1, :read_secret, p) })
    end

    it "gives the same answers on the parallel path for large pages" do
      expect(rbac.filter(1, :read_secret, paths)).to eq(paths.select { |p| rbac.can?(1, :read_secret, p) })
      expect(rbac.filter(1, :read_secret, paths).size).to eq(1000)
      expect(rbac.filter_map(1, :read_secret, paths).count(true)).to eq(1000)
      expect(rbac.filter(1, :nope, paths)).to eq([])
      expect(rbac.filter(1, :read_secret, [])).to eq([])
    end

    it "raises TypeError for bad argument types", :gc_stress do
      expect { rbac.filter(1, :read_secret, ["a/b", 1]) }.to raise_error(TypeError)
      expect { rbac.filter(1, :nope, ["a/b", nil]) }.to raise_error(TypeError)
      expect { rbac.filter(1, :read_secret, "a/b") }.to raise_error(TypeError)
      expect { rbac.can?(1, 42, "a/b") }.to raise_error(TypeError)
      expect { rbac.can?("1", :read_secret, "a/b") }.to raise_error(TypeError)
      expect { rbac.can?(1, :read_secret, :path) }.to raise_error(TypeError)
      expect { rbac.can?(1, :read_secret, "a/b", now: "soon") }.to raise_error(TypeError)
      expect { rbac.can?(1, :read_secret) }.to raise_error(ArgumentError)
      expect { rbac.can?(1, :read_secret, "a/b", later: 1) }.to raise_error(ArgumentError)
      expect { rbac.can?(-1, :read_secret, "a/b") }.to raise_error(RangeError)
    end
  end

  it "stays consistent while memberships change in other threads" do
    rbac.add_membership(1, "g", access_level: :reporter)
    writer = Thread.new do
      2000.times do |i|
        rbac.add_membership(2, "g/p#{i % 50}", access_level: :owner)
        rbac.remove_membership(2, "g/p#{(i + 25) % 50}")
      end
    end
    readers = Array.new(4) do
      Thread.new do
        2000.times.all? do |i|
          rbac.can?(1, :read_secret, "g/p#{i % 50}") &&
            !rbac.can?(1, :admin_project_secrets_manager, "g/p") &&
            rbac.filter(1, :read_secret, Array.new(600) { |j| "g/x#{j}" }).size == 600
        end
      end
    end
    writer.join
    expect(readers.map(&:value)).to all(be(true))
  end

  it "works in a forked child after the parent used the parallel filter" do
    rbac.add_membership(1, "g", access_level: :reporter)
    paths = Array.new(5000) { |i| i.even? ? "g/p#{i}" : "h/p#{i}" }
    expect(rbac.filter(1, :read_secret, paths).size).to eq(2500)
    reader, writer = IO.pipe
    pid = fork do
      reader.close
      writer.write(rbac.filter(1, :read_secret, paths).size.to_s)
      writer.close
      exit!(0)
    end
    writer.close
    Timeout.timeout(30) { Process.wait(pid) }
    expect(reader.read).to eq("2500")
  end

  it "shows no memberships in inspect and refuses unknown keywords" do
    expect(rbac.inspect).to eq("#<PipelineGuard::RBAC::Model memberships=0>")
    expect { rbac.add_membership(1, "g", level: 20) }.to raise_error(ArgumentError)
  end
end
