# frozen_string_literal: true

# GitLab 19.4's own secrets-permission documents, run against this app:
# valid against the schema, then executed with GitLab's rules and texts.
RSpec.describe "GitLab's secrets permission documents" do
  let(:owner) { user_with(50) }
  let(:other) { user_with(30) }
  let(:future) { (Date.today + 30).iso8601 }

  describe "the documents" do
    it "are the six recorded in SOURCES-permissions.yml, byte for byte" do
      manifest = PermissionDocuments.manifest
      expect(manifest["pinned_commit"]).to eq("be1c96a2d324670803dbbeff9b6f687ac0799483")
      expect(PermissionDocuments.names.size).to eq(6)
      manifest["documents"].each do |doc|
        bytes = File.binread(File.join(PermissionDocuments::DIR, doc["file"]))
        expect(Digest::SHA256.hexdigest(bytes)).to eq(doc["sha256"]), doc["file"]
        expect(doc["source_path"]).to end_with("/permissions/secrets_manager/graphql/#{doc['file']}")
      end
    end

    PermissionDocuments.names.each do |name|
      it "#{name} validates against the app schema" do
        query = GraphQL::Query.new(SecretsManagerSchema, PermissionDocuments.text(name))
        expect(SecretsManagerSchema.static_validator.validate(query)[:errors].map(&:message)).to eq([])
      end
    end
  end

  context "with a project" do
    before { enable_secrets_manager!(project) }

    def create(principal, actions: %w[READ], expired_at: nil, as: owner)
      permission_document("create_secrets_permission.mutation.graphql", as:, fullPath: project.full_path,
                                                                        principal:, actions:, expiredAt: expired_at)
    end

    def listed(as: owner)
      permission_document("secrets_permission.query.graphql", as:, fullPath: project.full_path)
    end

    it "creates a USER permission and lists it the way GitLab's frontend asks for it" do
      res = create({ id: other.id, type: "USER" }, actions: %w[READ WRITE READ_VALUE], expired_at: future)
      expect(res).to eq("data" => { "secretsPermissionUpdate" => {
                          "secretsPermission" => { "principal" => { "id" => other.id.to_s, "type" => "USER" },
                                                   "actions" => %w[READ WRITE READ_VALUE] },
                          "errors" => []
                        } })
      nodes = listed.dig("data", "secretsPermissions", "nodes")
      user = lambda { |u|
        { "id" => "gid://gitlab/User/#{u.id}", "username" => u.username, "name" => u.username,
          "avatarUrl" => nil, "webUrl" => "#{IdTokens::ISSUER}/#{u.username}" }
      }
      # Project#id is the record id or GitLab's global ID, whichever the Project type serves.
      project_node = { "id" => a_string_matching(%r{\A(gid://gitlab/Project/)?#{project.id}\z}) }
      expected = [
        { "expiredAt" => future, "grantedBy" => user.call(owner), "actions" => %w[READ WRITE READ_VALUE],
          "principal" => { "id" => other.id.to_s, "type" => "USER", "userRoleId" => "30", "user" => user.call(other) },
          "project" => project_node },
        { "expiredAt" => nil, "grantedBy" => nil, "actions" => %w[READ WRITE],
          "principal" => { "id" => "40", "type" => "ROLE", "userRoleId" => nil, "user" => nil },
          "project" => project_node },
        { "expiredAt" => nil, "grantedBy" => nil, "actions" => %w[READ WRITE DELETE],
          "principal" => { "id" => "50", "type" => "ROLE", "userRoleId" => nil, "user" => nil },
          "project" => project_node }
      ]
      expect(nodes).to match(expected)
    end

    it "answers an update with the actions as given and lists them as GitLab reads them back" do
      res = create({ id: 20, type: "ROLE" }, actions: %w[READ_VALUE DELETE READ DELETE])
      expect(res.dig("data", "secretsPermissionUpdate", "secretsPermission", "actions"))
        .to eq(%w[READ_VALUE DELETE READ DELETE])
      node = listed.dig("data", "secretsPermissions", "nodes").find { |n| n["principal"]["id"] == "20" }
      expect(node["actions"]).to eq(%w[READ DELETE READ_VALUE])
    end

    it "writes GitLab's policies through the gem, and PipelineGuard's ACL reads them as OpenBao would" do
      create({ id: other.id, type: "USER" }, actions: %w[READ WRITE READ_VALUE])
      policies = SecretsPermissions::Store.new(project).openbao_policies
      expect(policies.keys).to contain_exactly("users/direct/user_#{other.id}", "api/users/direct/user_#{other.id}",
                                               "users/roles/40", "users/roles/50")
      acl = lambda do |name|
        PipelineGuard::OpenBao::ACL.new([PipelineGuard::OpenBao::Policy.parse(policies.fetch(name), name:)])
      end
      user = acl.call("users/direct/user_#{other.id}")
      expect(user.capabilities("secrets/kv/metadata/explicit/DB")).to eq(%w[create list read scan update])
      expect(user.capabilities("secrets/kv/data/explicit/DB")).to eq(%w[create list scan update])
      expect(acl.call("api/users/direct/user_#{other.id}").capabilities("secrets/kv/data/explicit/DB")).to eq(%w[read])
      expect(acl.call("users/roles/40").allowed?(:delete, "secrets/kv/data/explicit/DB")).to be(false)
      expect(acl.call("users/roles/50").allowed?(:delete, "secrets/kv/data/explicit/DB")).to be(true)
    end

    it "deletes a permission, and deleting one that does not exist succeeds too" do
      create({ id: 30, type: "ROLE" })
      delete = lambda do |principal|
        permission_document("delete_secrets_permission.mutation.graphql", as: owner, fullPath: project.full_path,
                                                                          principal:)
      end
      expect(delete.call({ id: 30, type: "ROLE" })).to eq("data" => { "secretsPermissionDelete" => { "errors" => [] } })
      expect(delete.call({ id: 30, type: "ROLE" })).to eq("data" => { "secretsPermissionDelete" => { "errors" => [] } })
      expect(listed.dig("data", "secretsPermissions", "nodes").map { |n| n["principal"]["id"] }).to eq(%w[40 50])
    end

    {
      "a user who is not a member" => [-> { { id: user_with(nil).id, type: "USER" } },
                                       "Principal user is not a member of the project"],
      "a Guest" => [-> { { id: user_with(10).id, type: "USER" } }, "Principal user must have at least Reporter role"],
      "an Owner" => [-> { { id: user_with(50).id, type: "USER" } }, "Principal user must not be Owner"],
      "a user who does not exist" => [-> { { id: 999_999, type: "USER" } }, "Principal user does not exist"],
      "the Owner role" => [-> { { id: 50, type: "ROLE" } },
                           "Principal must be one of: reporter (20), developer (30), maintainer (40)"],
      "the Guest role" => [-> { { id: 10, type: "ROLE" } },
                           "Principal must be one of: reporter (20), developer (30), maintainer (40)"],
      "a member role that does not exist" => [-> { { id: 999_999, type: "MEMBER_ROLE" } },
                                              "Principal Member Role does not exist"],
      "a member role of another namespace" => [
        lambda {
          { id: MemberRole.create!(name: "r", base_access_level: 20, abilities: [], namespace_path: "other").id,
            type: "MEMBER_ROLE" }
        },
        "Principal Member Role does not have access to this project"
      ]
    }.each do |what, (principal, message)|
      it "refuses #{what} with GitLab's text, in errors (full message, then the service message)" do
        res = create(instance_exec(&principal))
        expect(res.dig("data", "secretsPermissionUpdate")).to eq("secretsPermission" => nil,
                                                                 "errors" => [message, message])
      end
    end

    it "accepts a Reporter, a Developer and a Maintainer as USER, and the three roles" do
      [20, 30, 40].each do |level|
        expect(create({ id: user_with(level).id, type: "USER" }).dig("data", "secretsPermissionUpdate", "errors"))
          .to eq([])
        expect(create({ id: level, type: "ROLE" }).dig("data", "secretsPermissionUpdate", "errors")).to eq([])
      end
      role = MemberRole.create!(name: "r", base_access_level: 20, abilities: [], namespace_path: "acme")
      expect(create({ id: role.id, type: "MEMBER_ROLE" }).dig("data", "secretsPermissionUpdate", "errors")).to eq([])
    end

    it "refuses an expiry that is not in the future and actions without a read" do
      past = create({ id: 20, type: "ROLE" }, expired_at: Date.today.iso8601)
      expect(past.dig("data", "secretsPermissionUpdate", "errors"))
        .to eq(["Expired at must be in the future", "Expired at must be in the future"])
      no_read = create({ id: 20, type: "ROLE" }, actions: %w[WRITE DELETE])
      expect(no_read.dig("data", "secretsPermissionUpdate", "errors"))
        .to eq(["Actions must include read, read_metadata, or read_value",
                "Actions must include read, read_metadata, or read_value"])
      both = create({ id: 25, type: "ROLE" }, actions: %w[WRITE])
      expect(both.dig("data", "secretsPermissionUpdate", "errors")).to eq(
        ["Actions must include read, read_metadata, or read_value",
         "Principal must be one of: reporter (20), developer (30), maintainer (40)",
         "Actions must include read, read_metadata, or read_value and " \
         "Principal must be one of: reporter (20), developer (30), maintainer (40)"]
      )
    end

    it "has no GROUP principal any more" do
      res = create({ id: group.id, type: "GROUP" })
      expect(res["errors"].map { |e| e["message"] })
        .to eq(["Variable $principal of type PrincipalInput! was provided invalid value for type " \
                '(Expected "GROUP" to be one of: USER, MEMBER_ROLE, ROLE)'])
      expect(res["data"]).to be_nil
    end

    it "lets Maintainers list but only Owners change, with GitLab's not-available error" do
      maintainer = user_with(40)
      expect(listed(as: maintainer).dig("data", "secretsPermissions", "nodes").size).to eq(2)
      expect(create({ id: 20, type: "ROLE" }, as: maintainer)["errors"].map { |e| e["message"] }).to eq([not_available])
      expect(listed(as: user_with(30))["errors"].map { |e| e["message"] }).to eq([not_available])
      delete = permission_document("delete_secrets_permission.mutation.graphql", as: maintainer,
                                                                                 fullPath: project.full_path,
                                                                                 principal: { id: 40, type: "ROLE" })
      expect(delete["errors"].map { |e| e["message"] }).to eq([not_available])
    end

    it "refuses changes on an archived project with GitLab's text" do
      project.update!(archived: true)
      res = create({ id: 20, type: "ROLE" })
      expect(res["errors"].map { |e| e["message"] })
        .to eq(["You cannot perform write operations on an archived project or a project pending deletion."])
      expect(listed.dig("data", "secretsPermissions", "nodes").size).to eq(2)
    end

    it "refuses every permission operation while the secrets manager is not active, with GitLab's texts" do
      project.secrets_manager.initiate_deprovision!
      expect(create({ id: 20, type: "ROLE" }).dig("data", "secretsPermissionUpdate", "errors"))
        .to eq(["Project secrets manager is not active.", "Project secrets manager is not active."])
      delete = permission_document("delete_secrets_permission.mutation.graphql", as: owner,
                                                                                 fullPath: project.full_path,
                                                                                 principal: { id: 40, type: "ROLE" })
      expect(delete.dig("data", "secretsPermissionDelete", "errors")).to eq(["Secrets manager is not active"])
      res = listed
      expect(res["data"]).to eq("secretsPermissions" => nil)
      expect(res["errors"].map { |e| e["message"] }).to eq(["Secrets manager is not active"])
    end
  end

  context "with a group" do
    before { enable_secrets_manager!(group) }

    def create(principal, as: owner, actions: %w[READ])
      permission_document("create_group_secrets_permission.mutation.graphql", as:, fullPath: group.full_path,
                                                                              principal:, actions:)
    end

    let(:owner) { user_with(50, path: "acme") }

    it "starts with the Owner role only, creates, lists and deletes" do
      member = user_with(30, path: "acme")
      expect(create({ id: member.id, type: "USER" }, actions: %w[READ DELETE]))
        .to eq("data" => { "secretsPermissionUpdate" => {
                 "secretsPermission" => { "principal" => { "id" => member.id.to_s, "type" => "USER" },
                                          "actions" => %w[READ DELETE] }, "errors" => []
               } })
      nodes = permission_document("group_secrets_permission.query.graphql", as: owner, fullPath: group.full_path)
              .dig("data", "secretsPermissions", "nodes")
      expect(nodes.map { |n| [n["principal"].slice("id", "type", "userRoleId"), n["actions"], n["group"]] })
        .to eq([[{ "id" => member.id.to_s, "type" => "USER", "userRoleId" => "30" }, %w[READ DELETE],
                 { "id" => "gid://gitlab/Group/#{group.id}" }],
                [{ "id" => "50", "type" => "ROLE", "userRoleId" => nil }, %w[READ WRITE DELETE],
                 { "id" => "gid://gitlab/Group/#{group.id}" }]])
      deleted = permission_document("delete_group_secrets_permission.mutation.graphql",
                                    as: owner, fullPath: group.full_path, principal: { id: member.id, type: "USER" })
      expect(deleted).to eq("data" => { "secretsPermissionDelete" => { "errors" => [] } })
      expect(GroupSecretsPermissionRecord.where(principal_type: "User").count).to eq(0)
    end

    it "refuses a user of another group and a project-only Maintainer" do
      outsider = user_with(30, path: "elsewhere")
      expect(create({ id: outsider.id, type: "USER" }).dig("data", "secretsPermissionUpdate", "errors"))
        .to eq(["Principal user is not a member of the group"] * 2)
      maintainer = user_with(40, path: "acme")
      expect(create({ id: 20, type: "ROLE" }, as: maintainer)["errors"].map { |e| e["message"] }).to eq([not_available])
      listed = permission_document("group_secrets_permission.query.graphql", as: maintainer, fullPath: "acme")
      expect(listed.dig("data", "secretsPermissions", "nodes").size).to eq(1)
      project_maintainer = user_with(40)
      listed = permission_document("group_secrets_permission.query.graphql", as: project_maintainer, fullPath: "acme")
      expect(listed["errors"].map { |e| e["message"] }).to eq([not_available])
    end
  end
end
