# frozen_string_literal: true

RSpec.describe "project secrets CRUD" do
  let(:owner) { user_with(50) }

  before { enable_secrets_manager!(project) }

  it "creates, lists, updates with check-and-set, and deletes" do
    res = create_secret("DB_PASSWORD", as: owner, value: "hunter2", environment: "production", branch: "main")
    expect(res.dig("data", "projectSecretCreate")).to eq(
      "projectSecret" => { "name" => "DB_PASSWORD", "metadataVersion" => 2 }, "errors" => []
    )
    stored = Secret.find_by!(name: "DB_PASSWORD")
    expect(stored.value_ciphertext).to start_with("vault:v1:")
    expect(stored.value_ciphertext).not_to include("hunter2")
    expect(stored.value).to eq("hunter2")

    update = lambda do |cas|
      graphql(%(mutation { projectSecretUpdate(input: { projectPath: "acme/api", name: "DB_PASSWORD",
        secret: "new", metadataCas: #{cas} }) { projectSecret { metadataVersion } errors } }), as: owner)
        .dig("data", "projectSecretUpdate")
    end
    expect(update.call(2)).to eq("projectSecret" => { "metadataVersion" => 3 }, "errors" => [])
    stale = update.call(2)
    expect(stale["projectSecret"]).to be_nil
    expect(stale["errors"].first).to start_with("This secret has been modified recently")
    expect(Secret.find_by!(name: "DB_PASSWORD").value).to eq("new")

    del = graphql(%(mutation { projectSecretDelete(input: { projectPath: "acme/api", name: "DB_PASSWORD" }) {
      projectSecret { name } errors } }), as: owner)
    expect(del.dig("data", "projectSecretDelete", "errors")).to eq([])
    expect(Secret.count).to eq(0)
  end

  it "validates names and never echoes the value in errors" do
    res = create_secret("bad-name", as: owner, value: "hunter2")
    expect(res.dig("data", "projectSecretCreate",
                   "errors").join).to include("Name can contain only letters, digits and '_'.")
    expect(res.to_s).not_to include("hunter2")
    expect(create_secret("DUP", as: owner).dig("data", "projectSecretCreate", "errors")).to eq([])
    expect(create_secret("DUP", as: owner).dig("data", "projectSecretCreate",
                                               "errors").join).to include("Secret already exists.")
  end
end
