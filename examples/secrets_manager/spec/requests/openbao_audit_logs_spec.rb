# frozen_string_literal: true

require "fileutils"

# GitLab 19.4's internal audit endpoint, fed with the entries a live OpenBao
# 2.7.2 wrote (core/tests/data/openbao_audit_2.7.2.jsonl: user 7, project 20
# in group 10, pipeline 12345, job 67890).
RSpec.describe "POST /api/v4/internal/secrets_manager/audit_logs" do
  let(:recorded) { File.readlines(File.expand_path("../../../../core/tests/data/openbao_audit_2.7.2.jsonl", __dir__)) }
  let(:token_file) { Rails.root.join("tmp", "openbao-audit-token-#{Process.pid}") }
  let(:token) { "shared-#{SecureRandom.hex(16)}" }
  let(:headers) { { "CONTENT_TYPE" => "application/json", "HTTP_GITLAB_OPENBAO_AUTH_TOKEN" => token } }
  let(:author) { User.create!(id: 7, username: "alice", token_digest: "x") }
  let(:audited_group) { Group.create!(id: 10, full_path: "acme") }
  let(:audited_project) { Project.create!(id: 20, full_path: "acme/api", group: audited_group) }

  before do
    AuditEvent.delete_all
    FileUtils.mkdir_p(token_file.dirname)
    File.write(token_file, "#{token}\n")
    stub_const("ENV", ENV.to_h.merge(Internal::SecretsManagerAuditLogs::TOKEN_FILE_ENV => token_file.to_s))
    author
    @group = audited_group
    @project = audited_project
  end

  after { FileUtils.rm_f(token_file) }

  def deliver(body, with: headers)
    post "/api/v4/internal/secrets_manager/audit_logs", body, with
    last_response
  end

  def line(event_name)
    recorded.find do |l|
      PipelineGuard::OpenBao::AuditLog.parse(l).event_name == event_name
    end
  end

  it "records each event kind from recorded entries with GitLab's fields" do
    %w[project group].product(%w[create update read delete]).each do |scope, kind|
      name = "secrets_manager_#{kind}_#{scope}_secret"
      response = deliver(line(name))
      expect([response.status, JSON.parse(response.body)]).to eq([202, { "message" => "202 Accepted" }])
      event = AuditEvent.order(:id).last
      entity = scope == "project" ? audited_project : audited_group
      expect(event).to have_attributes(
        event_name: name, author:, entity:, target_type: entity.class.name, target_id: entity.id,
        target_details: "#{scope.capitalize}: #{entity.full_path}", ip_address: "127.0.0.1",
        saved_to_database: kind != "read"
      )
      expect(event.message).to eq(PipelineGuard::OpenBao::AuditLog.parse(line(name)).event_message)
      expect(event.details["raw_audit_log_json"]).to eq(line(name))
      expect(event.details.values_at("pipeline_id", "job_id")).to eq(kind == "read" ? %w[12345 67890] : [nil, nil])
    end
    expect(AuditEvent.count).to eq(8)
  end

  it "records exactly GitLab's events when OpenBao streams the whole recorded log" do
    recorded.each { |l| expect(deliver(l).status).to eq(202) }
    expect(AuditEvent.order(:id).pluck(:event_name)).to eq(
      %w[create update read read delete].map { |k| "secrets_manager_#{k}_project_secret" } +
      %w[create update read read delete].map { |k| "secrets_manager_#{k}_group_secret" }
    )
  end

  it "refuses a wrong or missing token with 401 and records nothing" do
    [headers.merge("HTTP_GITLAB_OPENBAO_AUTH_TOKEN" => "#{token}x"), headers.except("HTTP_GITLAB_OPENBAO_AUTH_TOKEN"),
     headers.merge("HTTP_GITLAB_OPENBAO_AUTH_TOKEN" => "")].each do |bad|
      response = deliver(recorded.first, with: bad)
      expect([response.status, JSON.parse(response.body)]).to eq([401, { "message" => "Unauthorized" }])
    end
    expect(AuditEvent.count).to eq(0)
  end

  it "refuses 1 MiB and more, or another content type, with 400 before checking the token" do
    padded = line("secrets_manager_delete_project_secret").sub("{", %({"pad":"#{'a' * (1024 * 1024)}",))
    wrong_token = headers.merge("HTTP_GITLAB_OPENBAO_AUTH_TOKEN" => "nope")
    [[padded, headers], [padded, wrong_token],
     [recorded.first, headers.merge("CONTENT_TYPE" => "text/plain")],
     [recorded.first, headers.merge("CONTENT_TYPE" => "application/json; charset=utf-8")],
     [recorded.first, headers.except("CONTENT_TYPE")]].each do |body, with|
      response = deliver(body, with:)
      expect([response.status, JSON.parse(response.body)]).to eq([400, { "message" => "Invalid content type" }])
    end
    expect(AuditEvent.count).to eq(0)
  end

  it "takes a body of 1 MiB - 1 bytes" do
    base = line("secrets_manager_delete_project_secret").chomp
    filler = (1024 * 1024) - 1 - base.bytesize - %("pad":"",).bytesize
    body = base.sub("{", %({"pad":"#{'a' * filler}",))
    expect(body.bytesize).to eq((1024 * 1024) - 1)
    expect(deliver(body).status).to eq(202)
    expect(AuditEvent.pluck(:event_name)).to eq(["secrets_manager_delete_project_secret"])
  end

  it "answers 400 for JSON that does not parse and 202 for entries OpenBao would not write" do
    expect(deliver("{not json").status).to eq(400)
    expect(deliver("").status).to eq(400)
    expect(deliver('{"type":"response","auth":{"metadata":{"user_id":7}}}').status).to eq(202)
    expect(deliver("[1]").status).to eq(202)
    expect(AuditEvent.count).to eq(0)
  end

  it "ignores request entries and other operations" do
    request_entry = recorded.find { |l| l.include?('"type":"request"') && l.include?("secrets/kv/data/explicit") }
    login = recorded.find { |l| l.include?('"type":"response"') && l.include?('"path":"auth/user_jwt/login"') }
    [request_entry, login].each { |l| expect(deliver(l).status).to eq(202) }
    expect(AuditEvent.count).to eq(0)
  end

  it "answers 500 when the token file is missing, empty or outside the app" do
    File.write(token_file, "\n")
    expect([deliver(recorded.first).status, JSON.parse(last_response.body)["message"]])
      .to eq([500, "Empty Openbao authentication token secret"])
    FileUtils.rm_f(token_file)
    expect([deliver(recorded.first).status, JSON.parse(last_response.body)["message"]])
      .to eq([500, "Unable to fetch Openbao authentication token secret"])
    Dir.mktmpdir do |dir|
      outside = File.join(dir, "token")
      File.write(outside, token)
      stub_const("ENV", ENV.to_h.merge(Internal::SecretsManagerAuditLogs::TOKEN_FILE_ENV => outside))
      expect([deliver(recorded.first).status, JSON.parse(last_response.body)["message"]])
        .to eq([500, "Invalid authentication token file path"])
    end
  end

  describe "GET /api/v4/{projects,groups}/:id/audit_events" do
    before { recorded.each { |l| deliver(l) } }

    def list(path, as:, **query)
      header "Authorization", "Bearer #{token_for(as)}"
      get path, query
      last_response
    end

    it "lists a project's kept events, newest first, in GitLab's shape, to Maintainers" do
      maintainer = user_with(40, path: "acme/api")
      body = JSON.parse(list("/api/v4/projects/20/audit_events", as: maintainer).body)
      expect(body.map { |e| e["event_name"] }).to eq(
        %w[delete update create].map { |k| "secrets_manager_#{k}_project_secret" }
      )
      expect(body.first).to include("author_id" => 7, "entity_id" => 20, "entity_type" => "Project")
      expect(body.first["details"]).to include(
        "custom_message" => "Deleted project secret", "author_name" => "alice", "target_details" => "Project: acme/api",
        "ip_address" => "127.0.0.1", "entity_path" => "acme/api"
      )
      expect(body.first["details"]).not_to have_key("raw_audit_log_json")
    end

    it "adds streamed reads and the raw entry on request" do
      owner = user_with(50, path: "acme")
      query = { include_streamed: "true", raw: "true", event_name: "secrets_manager_read_group_secret" }
      body = JSON.parse(list("/api/v4/groups/10/audit_events", as: owner, **query).body)
      expect(body.size).to eq(2)
      expect(body.map { |e| e["details"].values_at("job_id", "pipeline_id") }.uniq).to eq([%w[67890 12345]])
      expect(body.map { |e| e["details"]["raw_audit_log_json"] }).to all(include('"operation":"read"'))
    end

    it "hides them from Developers and strangers" do
      expect(list("/api/v4/projects/20/audit_events", as: user_with(30, path: "acme/api")).status).to eq(404)
      expect(list("/api/v4/groups/10/audit_events", as: user_with(nil)).status).to eq(404)
      header "Authorization", nil
      get "/api/v4/projects/20/audit_events"
      expect(last_response.status).to eq(401)
    end
  end
end
