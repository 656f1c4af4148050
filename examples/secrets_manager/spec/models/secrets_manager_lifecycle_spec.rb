# frozen_string_literal: true

RSpec.describe "secrets manager lifecycle" do
  it "stores GitLab's status values" do
    expect(ProjectSecretsManager.statuses).to eq("provisioning" => 0, "active" => 1, "deprovisioning" => 2)
    expect(GroupSecretsManager.statuses).to eq(ProjectSecretsManager.statuses)
  end

  it "provisions through the job, then deprovisions and removes the owner's data" do
    manager, error = SecretsManagers.initialize_for(project)
    expect(error).to be_nil
    expect(project.reload.secrets_manager).to be_active
    expect(manager.namespace_path).to eq("org_1/group_#{group.id}/project_#{project.id}")
    seed_secret("DB")

    again = SecretsManagers.initialize_for(project)
    expect(again).to eq([nil, "Secrets manager already initialized for the project."])

    _, error = SecretsManagers.initiate_deprovision(project.secrets_manager, owner: project)
    expect(error).to be_nil
    expect(ProjectSecretsManager.count).to eq(0)
    expect(project.secrets.count).to eq(0)
    expect(SecretsManagers.initiate_deprovision(nil, owner: project))
      .to eq([nil, "Secrets manager not found for the project."])
  end

  it "refuses to deprovision what is not active and to enable while deprovisioning" do
    manager = project.create_secrets_manager!
    expect(manager).to be_provisioning
    expect(SecretsManagers.initiate_deprovision(manager)).to eq([nil, "Secrets manager is not active"])
    manager.update!(status: :deprovisioning)
    expect(SecretsManagers.initialize_for(project.reload))
      .to eq([nil, "Secrets manager deprovision is in progress"])
    expect { manager.initiate_deprovision! }.to raise_error(SecretsManagerLifecycle::InvalidTransition)
  end

  it "refuses projects in a user namespace" do
    personal = Project.create!(full_path: "someone/project")
    expect(SecretsManagers.initialize_for(personal))
      .to eq([nil, "Secrets manager is not available for projects in user namespaces."])
  end

  it "deprovisions when the project is deleted, keeping nothing behind" do
    enable_secrets_manager!(project)
    seed_secret("DB")
    project.destroy!
    expect(ProjectSecretsManager.count).to eq(0)
    expect(Secret.count).to eq(0)
  end

  it "deprovisions when the project moves to another group, not on a rename in place" do
    enable_secrets_manager!(project)
    project.update!(full_path: "acme/api-renamed")
    expect(project.reload.secrets_manager).to be_active
    other = Group.create!(full_path: "other")
    project.update!(group: other, full_path: "other/api")
    expect(project.reload.secrets_manager).to be_nil
  end

  it "enables and deprovisions a group's secrets manager" do
    manager = enable_secrets_manager!(group)
    expect(manager).to be_active
    expect(manager.namespace_path).to eq("org_1/group_#{group.id}/group_#{group.id}")
    expect(SecretsManagers.initialize_for(group)).to eq([nil, "Secrets manager already initialized for the group."])
    enable_secrets_manager!(project)
    group.update!(full_path: "elsewhere/acme")
    expect(group.reload.secrets_manager).to be_nil
    expect(project.reload.secrets_manager).to be_nil # its root namespace changed too
  end
end
