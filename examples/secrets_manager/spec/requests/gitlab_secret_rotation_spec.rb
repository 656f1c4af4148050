# frozen_string_literal: true

# Rotation reminders as GitLab computes them, on a frozen clock: the next
# reminder is the next midnight UTC plus the interval, APPROACHING within 7
# days of it, OVERDUE once a reminder went out, and an update is a rotation.
RSpec.describe "secret rotation through GitLab's frontend documents" do
  let(:owner) { user_with(50) }
  let(:path) { project.full_path }

  before { enable_secrets_manager!(project) }

  def create(name, days)
    res = gitlab_graphql("create_project_secret.mutation.graphql", as: owner, fullPath: path, name:, description: "",
                                                                   secret: "v", branch: "*", environment: "*",
                                                                   rotationIntervalDays: days)
    expect(res.dig("data", "secretCreate", "errors")).to eq([])
  end

  def needing_rotation
    gitlab_graphql("get_project_secrets_needing_rotation.query.graphql", as: owner, fullPath: path)
      .dig("data", "secretsNeedingRotation", "nodes")
  end

  def rotation(name)
    gitlab_graphql("get_project_secret_details.query.graphql", as: owner, fullPath: path, name:)
      .dig("data", "secret", "rotationInfo")
  end

  it "goes OK, APPROACHING, OVERDUE; the reminder job tells the owners; an update resets it" do
    travel_to(Time.utc(2026, 3, 10, 22, 0, 0))
    create("API_KEY", 10)
    expect(rotation("API_KEY")).to eq("rotationIntervalDays" => 10, "status" => "OK",
                                      "nextReminderAt" => "2026-03-21T00:00:00Z")
    travel_to(Time.utc(2026, 3, 13, 23, 59, 59))
    expect(rotation("API_KEY")["status"]).to eq("OK")
    travel_to(Time.utc(2026, 3, 14, 0, 0, 0))
    expect(rotation("API_KEY")["status"]).to eq("APPROACHING")

    other_owner = user_with(50, path: group.full_path)
    user_with(40)
    expect(SecretRotationReminderJob.perform_now).to eq(0) # not due yet
    travel_to(Time.utc(2026, 3, 21, 0, 0, 1))
    expect(SecretRotationReminderJob.perform_now).to eq(1)
    info = SecretRotationInfo.find_by!(secret_name: "API_KEY")
    expect(info.reminders.map(&:user)).to contain_exactly(owner, other_owner)
    overdue = { "rotationIntervalDays" => 10, "status" => "OVERDUE", "nextReminderAt" => "2026-04-01T00:00:00Z",
                "lastReminderAt" => "2026-03-21T00:00:01Z" }
    expect(needing_rotation).to eq([{ "name" => "API_KEY", "rotationInfo" => overdue }])

    version = gitlab_graphql("get_project_secret_details.query.graphql", as: owner, fullPath: path, name: "API_KEY")
              .dig("data", "secret", "metadataVersion")
    gitlab_graphql("update_project_secret.mutation.graphql", as: owner, fullPath: path, name: "API_KEY",
                                                             description: "", secret: "new", branch: "*",
                                                             environment: "*", metadataVersion: version,
                                                             rotationIntervalDays: 10)
    expect(rotation("API_KEY")).to eq("rotationIntervalDays" => 10, "status" => "OK",
                                      "nextReminderAt" => "2026-04-01T00:00:00Z")
    expect(needing_rotation).to eq([])
  end

  it "lists what needs rotation in GitLab's urgency order, and drops orphaned records" do
    travel_to(Time.utc(2026, 1, 1, 12, 0, 0))
    create("OLD_OVERDUE", 7)
    travel_to(Time.utc(2026, 1, 2, 12, 0, 0))
    create("NEW_OVERDUE", 7)
    travel_to(Time.utc(2026, 1, 10, 12, 0, 0))
    SecretRotationReminderJob.perform_now # both reminders were due
    create("LATER_APPROACHING", 14) # next reminder 2026-01-25: not yet approaching
    create("SOON_APPROACHING", 7) # 2026-01-18: approaching
    create("NO_ROTATION", nil)
    create("FAR", 60)
    travel_to(Time.utc(2026, 1, 18, 12, 0, 0)) # SOON due, LATER within 7 days
    expect(needing_rotation.map { |n| [n["name"], n.dig("rotationInfo", "status")] }).to eq(
      [%w[OLD_OVERDUE OVERDUE], %w[NEW_OVERDUE OVERDUE], %w[SOON_APPROACHING APPROACHING],
       %w[LATER_APPROACHING APPROACHING]]
    )

    gitlab_graphql("delete_project_secret.mutation.graphql", as: owner, fullPath: path, name: "SOON_APPROACHING")
    expect { SecretRotationReminderJob.perform_now }
      .to change { SecretRotationInfo.where(secret_name: "SOON_APPROACHING").count }.from(1).to(0)
    expect(SecretRotationReminder.joins(:secret_rotation_info)
                                 .where(secret_rotation_infos: { secret_name: "OLD_OVERDUE" }).count).to eq(2)
  end
end
