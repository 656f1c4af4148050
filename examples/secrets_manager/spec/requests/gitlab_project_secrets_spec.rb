# frozen_string_literal: true

# GitLab's own frontend documents (spec/fixtures/gitlab_graphql), executed
# with the variables its frontend sends, against this app.
RSpec.describe "project secrets through GitLab's frontend documents" do
  let(:owner) { user_with(50) }
  let(:path) { project.full_path }
  let(:not_active) { "Secrets manager is not active" }

  def create(name, as: owner, **vars)
    gitlab_graphql("create_project_secret.mutation.graphql", as:, fullPath: path, name:, description: "about #{name}",
                                                             secret: "value-#{name}", branch: "main",
                                                             environment: "production", **vars)
      .dig("data", "secretCreate")
  end

  def details(name, as: owner)
    gitlab_graphql("get_project_secret_details.query.graphql", as:, fullPath: path, name:)
  end

  def update(name, version, as: owner, **vars)
    gitlab_graphql("update_project_secret.mutation.graphql", as:, fullPath: path, name:, description: "changed",
                                                             secret: nil, branch: "main", environment: "production",
                                                             metadataVersion: version, **vars)
  end

  def error_messages(res) = res["errors"]&.map { |e| e["message"] }

  it "refuses every secret operation until the secrets manager is enabled, then enables it" do
    expect(create("DB")).to eq("errors" => [not_active], "projectSecret" => nil)
    list = gitlab_graphql("get_project_secrets.query.graphql", as: owner, fullPath: path, first: 20)
    expect(error_messages(list)).to eq([not_active])
    expect(error_messages(details("DB"))).to eq([not_active])
    count = graphql(%({ projectSecretsCount(projectPath: "#{path}") }), as: owner)
    expect(count).to eq("data" => { "projectSecretsCount" => nil })
    status = gitlab_graphql("get_project_secret_manager_status.query.graphql", as: owner, fullPath: path)
    expect(status).to eq("data" => { "secretsManager" => nil })

    developer = user_with(30)
    denied = gitlab_graphql("enable_secret_manager.mutation.graphql", as: developer, fullPath: path)
    expect(error_messages(denied)).to eq([not_available])

    enabled = gitlab_graphql("enable_secret_manager.mutation.graphql", as: owner, fullPath: path)
    expect(enabled.dig("data", "projectSecretsManagerInitialize"))
      .to eq("errors" => [], "projectSecretsManager" => { "status" => "PROVISIONING" })
    status = gitlab_graphql("get_project_secret_manager_status.query.graphql", as: owner, fullPath: path)
    expect(status.dig("data", "secretsManager")).to eq(
      "entity" => { "id" => "gid://gitlab/Project/#{project.id}", "archived" => false, "markedForDeletion" => false },
      "readOnly" => false, "status" => "ACTIVE"
    )
    again = gitlab_graphql("enable_secret_manager.mutation.graphql", as: owner, fullPath: path)
    expect(again.dig("data", "projectSecretsManagerInitialize"))
      .to eq("errors" => ["Secrets manager already initialized for the project."], "projectSecretsManager" => nil)
  end

  it "refuses to enable the secrets manager of an archived project" do
    project.update!(archived: true)
    res = gitlab_graphql("enable_secret_manager.mutation.graphql", as: owner, fullPath: path)
    expect(error_messages(res))
      .to eq(["You cannot perform write operations on an archived project or a project pending deletion."])
    expect(project.reload.secrets_manager).to be_nil
  end

  context "with the secrets manager enabled" do
    before { enable_secrets_manager!(project) }

    it "creates, lists, shows, updates with check-and-set and deletes" do
      travel_to(Time.utc(2026, 3, 10, 10, 0, 0))
      expect(create("DB_PASSWORD", rotationIntervalDays: 30))
        .to eq("errors" => [], "projectSecret" => { "description" => "about DB_PASSWORD", "name" => "DB_PASSWORD" })

      list = gitlab_graphql("get_project_secrets.query.graphql", as: owner, fullPath: path, first: 20)
      node = {
        "branch" => "main", "createdAt" => "2026-03-10T10:00:00Z", "description" => "about DB_PASSWORD",
        "environment" => "production", "metadataVersion" => 2, "name" => "DB_PASSWORD",
        "project" => { "id" => "gid://gitlab/Project/#{project.id}" },
        "rotationInfo" => { "rotationIntervalDays" => 30, "status" => "OK" }, "status" => "COMPLETED"
      }
      expect(list.dig("data", "secretsList", "edges")).to eq([{ "node" => node }])
      expect(graphql(%({ projectSecretsCount(projectPath: "#{path}") }), as: owner))
        .to eq("data" => { "projectSecretsCount" => 1 })

      shown = details("DB_PASSWORD").dig("data", "secret")
      expect(shown).to include("metadataVersion" => 2, "status" => "COMPLETED", "branch" => "main")
      expect(shown["rotationInfo"]).to eq("rotationIntervalDays" => 30, "status" => "OK",
                                          "nextReminderAt" => "2026-04-10T00:00:00Z")

      updated = update("DB_PASSWORD", 2, secret: "rotated", rotationIntervalDays: 14)
      expect(updated.dig("data", "secretUpdate"))
        .to eq("errors" => [], "projectSecret" => { "description" => "changed", "name" => "DB_PASSWORD" })
      expect(Secret.find_by!(name: "DB_PASSWORD").value).to eq("rotated")
      expect(details("DB_PASSWORD").dig("data", "secret")).to include(
        "metadataVersion" => 4, "description" => "changed",
        "rotationInfo" => { "rotationIntervalDays" => 14, "status" => "OK", "nextReminderAt" => "2026-03-25T00:00:00Z" }
      )

      cas = "This secret has been modified recently. Please refresh the page and try again."
      stale = update("DB_PASSWORD", 2, secret: "lost")
      expect(stale.dig("data", "secretUpdate")).to eq("errors" => [cas, cas], "projectSecret" => nil)
      expect(Secret.find_by!(name: "DB_PASSWORD").value).to eq("rotated")

      missing = update("NOPE", 2)
      expect(missing["data"]).to eq("secretUpdate" => nil)
      expect(error_messages(missing)).to eq(["Project secret does not exist."])
      expect(error_messages(details("NOPE"))).to eq(["Project secret does not exist."])

      deleted = gitlab_graphql("delete_project_secret.mutation.graphql", as: owner, fullPath: path, name: "DB_PASSWORD")
      expect(deleted.dig("data", "deleteSecret")).to eq("errors" => [])
      expect(Secret.count).to eq(0)
      gone = gitlab_graphql("delete_project_secret.mutation.graphql", as: owner, fullPath: path, name: "DB_PASSWORD")
      expect(error_messages(gone)).to eq(["Project secret does not exist."])
    end

    it "answers with GitLab's validation texts and never echoes the value" do
      twice = ->(message) { { "errors" => [message, message], "projectSecret" => nil } }
      expect(create("bad-name")).to eq(twice["Name can contain only letters, digits and '_'."])
      expect(create("N" * 256)).to eq(twice["Name is too long (maximum is 255 characters)"])
      expect(create("EMPTY_ENV", environment: "")).to eq(twice["Environment can't be blank"])
      expect(create("EMPTY_BRANCH", branch: "")).to eq(twice["Branch can't be blank"])
      expect(create("BIG", secret: "x" * 10_001))
        .to eq(twice["Length of secret value exceeds allowed limits (10k bytes)."])
      expect(create("EXACT", secret: "x" * 10_000)["errors"]).to eq([])
      expect(create("DUP")["errors"]).to eq([])
      expect(create("DUP", secret: "hunter2")).to eq(twice["Secret already exists."])
      expect(create("ROT", rotationIntervalDays: 6))
        .to eq(twice["Rotation configuration error: Rotation interval days must be greater than or equal to 7"])
      expect(last_response.body).not_to include("hunter2")
      invalid = details("bad-name")
      expect(error_messages(invalid)).to eq(["Name can contain only letters, digits and '_'."])
    end

    it "stops at GitLab's limit of 100 secrets per project" do
      now = Time.current
      rows = Array.new(99) do |i|
        { project_id: project.id, name: "S#{i}", environment: "*", branch: "*", created_at: now,
          updated_at: now }
      end
      Secret.insert_all!(rows)
      expect(create("LAST")["errors"]).to eq([])
      message = "Maximum number of secrets (100) for this project has been reached. " \
                "Please delete unused secrets or contact your administrator to increase the limit."
      expect(create("ONE_TOO_MANY")).to eq("errors" => [message], "projectSecret" => nil)
    end

    it "shows interrupted two-phase writes as in progress, then stale, and refuses to update them" do
      travel_to(Time.utc(2026, 3, 10, 10, 0, 0))
      create("DB")
      seed = Secret.find_by!(name: "DB")
      seed.update!(create_completed_at: nil, metadata_version: 1) # creation never finished
      expect(details("DB").dig("data", "secret", "status")).to eq("CREATE_IN_PROGRESS")
      expect(update("DB", 1).dig("data", "secretUpdate", "errors")).to eq(["Secret create in progress."] * 2)
      travel(31.seconds)
      expect(details("DB").dig("data", "secret", "status")).to eq("CREATE_STALE")
      expect(update("DB", 1).dig("data", "secretUpdate", "errors"))
        .to eq(["Secret creation did not complete and is now stale."] * 2)

      seed.update!(create_completed_at: Time.current, update_started_at: Time.current, metadata_version: 3)
      expect(details("DB").dig("data", "secret", "status")).to eq("UPDATE_IN_PROGRESS")
      expect(update("DB", 3).dig("data", "secretUpdate", "errors")).to eq(["Secret update in progress."] * 2)
      travel(31.seconds)
      expect(details("DB").dig("data", "secret", "status")).to eq("UPDATE_STALE")
      expect(update("DB", 3).dig("data", "secretUpdate", "errors"))
        .to eq(["Secret update did not complete and is now stale."] * 2)
      gitlab_graphql("delete_project_secret.mutation.graphql", as: owner, fullPath: path, name: "DB")
      expect(Secret.count).to eq(0)
    end

    it "leaves a create interrupted between its two phases CREATE_IN_PROGRESS, then CREATE_STALE" do
      travel_to(Time.utc(2026, 3, 10, 10, 0, 0))
      allow(SecretStore.current).to receive(:sync_policies)
        .and_raise(PipelineGuard::OpenBao::ClientError, "PUT sys/policies/acl/x: HTTP 503: sealed")
      res = gitlab_graphql("create_project_secret.mutation.graphql", as: owner, fullPath: path, name: "DB",
                                                                     description: "", secret: "v", branch: "*",
                                                                     environment: "*")
      expect(error_messages(res)).to eq(["Internal server error."]) # OpenBao's text never reaches the client
      expect(details("DB").dig("data", "secret")).to include("status" => "CREATE_IN_PROGRESS", "metadataVersion" => 1)
      travel(31.seconds)
      expect(details("DB").dig("data", "secret", "status")).to eq("CREATE_STALE")
    end

    it "refuses writes to an archived project with GitLab's text" do
      project.update!(archived: true)
      res = gitlab_graphql("create_project_secret.mutation.graphql", as: owner, fullPath: path, name: "DB",
                                                                     description: "", secret: "v", branch: "*",
                                                                     environment: "*")
      expect(error_messages(res))
        .to eq(["You cannot perform write operations on an archived project or a project pending deletion."])
    end

    it "disables: deprovisioning removes the secrets and the record" do
      create("DB")
      res = gitlab_graphql("disable_secret_manager.mutation.graphql", as: owner, fullPath: path)
      expect(res.dig("data", "projectSecretsManagerDeprovision"))
        .to eq("errors" => [], "projectSecretsManager" => { "status" => "DEPROVISIONING" })
      expect(Secret.count).to eq(0)
      expect(gitlab_graphql("get_project_secret_manager_status.query.graphql", as: owner, fullPath: path))
        .to eq("data" => { "secretsManager" => nil })
      again = gitlab_graphql("disable_secret_manager.mutation.graphql", as: owner, fullPath: path)
      expect(again.dig("data", "projectSecretsManagerDeprovision"))
        .to eq("errors" => ["Secrets manager not found for the project."], "projectSecretsManager" => nil)
    end

    it "reports OpenBao as healthy in embedded mode, and only to a signed-in user" do
      expect(gitlab_graphql("get_openbao_health.query.graphql", as: owner)).to eq("data" => { "openbaoHealth" => true })
      header "Authorization", nil
      post "/api/graphql", JSON.generate(query: GitlabGraphql.document("get_openbao_health.query.graphql")),
           "CONTENT_TYPE" => "application/json"
      expect(error_messages(JSON.parse(last_response.body))).to eq([not_available])
    end

    it "lists the project's branch names for the branch picker" do
      %w[main release/1.0 release/2.0 feature/x].each { |n| add_ref(n) }
      add_ref("v1.0", ref_type: "tag") # tags are not branches
      res = gitlab_graphql("get_project_branches.query.graphql", as: owner, projectPath: path,
                                                                 searchPattern: "*release*", limit: 1)
      expect(res.dig("data", "project")).to eq("id" => "gid://gitlab/Project/#{project.id}",
                                               "repository" => { "branchNames" => ["release/1.0"] })
      all = gitlab_graphql("get_project_branches.query.graphql", as: owner, projectPath: path, searchPattern: "*",
                                                                 limit: 100)
      expect(all.dig("data", "project", "repository", "branchNames")).to eq(%w[feature/x main release/1.0 release/2.0])
      outsider = user_with(nil)
      expect(gitlab_graphql("get_project_branches.query.graphql", as: outsider, projectPath: path, searchPattern: "*",
                                                                  limit: 5)).to eq("data" => { "project" => nil })
    end
  end
end
