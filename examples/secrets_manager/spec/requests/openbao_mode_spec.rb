# frozen_string_literal: true

require "open3"

# OpenBao mode as GitLab runs it: OpenBao enforces. Provisioning writes the
# namespace, mounts, CEL roles and policies; Rails logs in as its own JWT
# role (the root token only bootstraps that role); people's secret writes
# log in as them; the runner reads values with the job's ID token.
RSpec.describe "OpenBao mode", :openbao_app do
  let(:maintainer) { user_with(40) }
  let(:ns) { "org_1/group_#{group.id}/project_#{project.id}" }

  def in_ns(path = ns) = PipelineGuard::OpenBao::Client.new(address: bao.address, token: bao.token, namespace: path)

  def kv_value(name) = in_ns.get("secrets/kv/data/explicit/#{name}").dig("data", "data", "value")

  def audit_counts = OpenBaoAuditCounts.count(File.read(bao.audit_log))

  # Paths of the requests made with tokens of one kind (see OpenBaoAuditCounts).
  def paths_of(kind)
    audit_entries.select { |e| e.type == "request" && OpenBaoAuditCounts.token_kind(e) == kind }.map(&:path)
  end

  it "provisions GitLab's namespace, mounts, CEL roles and policies as the app role, and deprovisions them" do
    enable_secrets_manager!(project)
    # Only the bootstrap used the root token; everything after it was the app role.
    counts = audit_counts
    expect(counts["root_after_bootstrap"]).to eq(0)
    expect(counts["logins"]["app"]).to be > 10
    expect(counts["requests"]["app"]).to eq(counts["logins"]["app"] - counts["refused_logins"]["app"])

    expect(project.secrets_manager.namespace_path).to eq(ns)
    client = in_ns
    expect(client.get("sys/mounts").dig("data", "secrets/kv/", "options")).to eq("version" => "2")
    expect(client.get("sys/auth")["data"].keys).to include("pipeline_jwt/", "user_jwt/", "api_jwt/")
    role = client.get("auth/pipeline_jwt/cel/role/all_pipelines")["data"]
    expect(role["cel_program"]).to eq(PipelineGuard::SecretsManager::CelPrograms.project_pipeline(
                                        project_id: project.id, aud: bao.address
                                      ))
    expect(role["bound_audiences"]).to eq([bao.address])
    expect(client.get("auth/user_jwt/cel/role/all_users").dig("data", "cel_program", "expression"))
      .to include('"/direct/user_"')
    expect(client.list("sys/policies/acl").dig("data", "keys")).to include("users/roles/40", "users/roles/50")

    parent = in_ns("org_1/group_#{group.id}")
    expect(parent.get("sys/namespaces/project_#{project.id}").dig("data", "path")).to eq("#{ns}/")
    SecretsManagers.initiate_deprovision(project.secrets_manager, owner: project)
    expect { parent.get("sys/namespaces/project_#{project.id}") }
      .to raise_error(PipelineGuard::OpenBao::ClientError, /HTTP 404/)
  end

  it "writes group permission policies and deletes a deleted permission's policies" do
    enable_secrets_manager!(group)
    store = SecretsPermissions::Store.new(group)
    reader = user_with(20, path: group.full_path)
    store.save(GroupSecretsPermission.new(resource: group, principal_type: "User", principal_id: reader.id,
                                          actions: %w[read read_value]))
    gns = in_ns("org_1/group_#{group.id}/group_#{group.id}")
    expect(gns.list("sys/policies/acl").dig("data", "keys")).to include("users/direct/user_#{reader.id}",
                                                                        "api/users/direct/user_#{reader.id}")
    store.delete("User", reader.id)
    expect(gns.list("sys/policies/acl").dig("data", "keys")).not_to include("users/direct/user_#{reader.id}",
                                                                            "api/users/direct/user_#{reader.id}")
  end

  it "writes a person's secrets as that person, and OpenBao refuses what their policies refuse" do
    enable_secrets_manager!(project)
    res = create_secret("DB", as: maintainer, value: "s3cret")
    expect(res.dig("data", "projectSecretCreate", "errors")).to eq([]), res.inspect
    expect(kv_value("DB")).to eq("s3cret")
    expect(paths_of("user")).to include("secrets/kv/data/explicit/DB", "secrets/kv/metadata/explicit/DB")
    expect(audit_counts["writes"]).to eq("user" => 1)

    # Rails' check passes (the permission is stored), OpenBao's does not
    # (its policy is gone from OpenBao): OpenBao refuses the person.
    writer = user_with(20)
    grant("User", writer.id, %w[read write])
    SecretStore.current.sync_policies(project)
    in_ns.delete("sys/policies/acl/users/direct/user_#{writer.id}")
    res = create_secret("API_KEY", as: writer, value: "nope")
    expect(res["errors"].map { |e| e["message"] }).to eq([not_available])
    expect(project.secrets.where(name: "API_KEY")).to be_empty
    expect { kv_value("API_KEY") }.to raise_error(PipelineGuard::OpenBao::ClientError, /404/)
    denied = audit_entries.select do |e|
      e.type == "response" && e.path == "secrets/kv/data/explicit/API_KEY" && OpenBaoAuditCounts.token_kind(e) == "user"
    end
    expect(denied.map(&:error)).to eq(["1 error occurred:\n\t* permission denied\n\n"])
  end

  it "reads a secret's metadata as the person: OpenBao's policies decide too" do
    enable_secrets_manager!(project)
    create_secret("DB", as: maintainer)
    query = %({ projectSecret(projectPath: "#{project.full_path}", name: "DB") { name } })
    expect(graphql(query, as: maintainer).dig("data", "projectSecret", "name")).to eq("DB")
    expect(paths_of("user")).to include("secrets/kv/metadata/explicit/DB")

    in_ns.delete("sys/policies/acl/users/roles/40") # Rails still says yes, OpenBao no longer does
    expect(graphql(query, as: maintainer)["errors"].map { |e| e["message"] }).to eq([not_available])
  end

  it "hands the runner inline auth with the job's ID token; the runner reads values, Rails never does" do
    add_ref("main")
    enable_secrets_manager!(project)
    create_secret("GLOBAL", as: maintainer, value: "g-value")
    create_secret("PROD_ONLY", as: maintainer, value: "p-value", environment: "production")
    define_job("build", secrets: { "GLOBAL" => { "gitlab_secrets_manager" => { "name" => "GLOBAL" } },
                                   "PROD" => { "gitlab_secrets_manager" => { "name" => "PROD_ONLY" } } })
    expect(create_pipeline("main", as: maintainer)[0]).to eq(201)
    payload = request_job

    resolved, failed = Runner.resolve(payload)
    expect(resolved).to eq("GLOBAL" => "g-value")
    expect(failed.keys).to eq(["PROD"])
    expect(failed["PROD"]).to include("403", "permission denied")
    expect(paths_of("pipeline")).to eq(["secrets/kv/data/explicit/GLOBAL", "secrets/kv/data/explicit/PROD_ONLY"])
    expect(audit_counts.slice("reads", "refused_value_ops")).to eq("reads" => { "pipeline" => 1 },
                                                                   "refused_value_ops" => { "pipeline" => 1 })

    # The command itself (no Rails): names only, values on request, exit 1 on a refusal.
    file = File.join(bao.dir, "payload.json")
    File.write(file, JSON.generate(payload))
    runner = File.expand_path("../../bin/runner", __dir__)
    out, err, st = Open3.capture3(RbConfig.ruby, runner, file)
    expect([out, st.exitstatus]).to eq(["GLOBAL\n", 1])
    expect(err).to include("PROD: refused (HTTP 403")
    expect(Open3.capture3(RbConfig.ruby, runner, "--show-values", file)[0]).to eq("GLOBAL=g-value\n")

    status, body = fetch_secrets(payload.dig("secrets", "GLOBAL", "gitlab_secrets_manager", "server", "inline_auth",
                                             "jwt"))
    expect([status, body["error"]]).to eq([409, JobsController::OPENBAO_MODE])
    expect { SecretStore.current.read(project, ["GLOBAL"]) }.to raise_error(SecretStore::ValuesNotReadable)
  end
end
