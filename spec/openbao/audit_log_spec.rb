# frozen_string_literal: true

RSpec.describe PipelineGuard::OpenBao::AuditLog do
  recorded_path = File.expand_path("../../core/tests/data/openbao_audit_2.7.2.jsonl", __dir__)
  let(:recorded) { File.read(recorded_path) }
  let(:entries) { described_class.parse_many(recorded) }

  def response(operation, path, metadata, data = nil)
    request = { "operation" => operation, "path" => path, "remote_address" => "10.1.2.3",
                "namespace" => { "id" => "Ab1", "path" => "org_1/group_10/project_20/" } }
    request["data"] = data if data
    JSON.generate({ "time" => "2026-12-03T18:00:00Z", "type" => "response",
                    "auth" => { "token_type" => "batch", "policies" => %w[default secrets],
                                "metadata" => metadata, "display_name" => "user_jwt-7" },
                    "request" => request })
  end

  let(:project) { { "user_id" => "7", "project_id" => "20" } }

  describe ".parse_many" do
    it "turns a recorded OpenBao 2.7.2 audit file into GitLab's events, in order", :gc_stress do
      expect(entries.size).to eq(recorded.lines.size)
      expect(entries.filter_map(&:event_name)).to eq(
        %w[create update read read delete].map { |k| "secrets_manager_#{k}_project_secret" } +
        %w[create update read read delete].map { |k| "secrets_manager_#{k}_group_secret" }
      )
    end

    it "returns frozen entries in a frozen Array", :gc_stress do
      expect(entries).to be_frozen
      expect(entries).to all(be_frozen)
      expect(entries.first.metadata).to be_frozen
      expect(entries.first.policies).to be_frozen
    end

    it "names the first bad line", :gc_stress do
      text = "#{recorded.lines.first}\n{\"type\":\"response\",\"auth\":{\"policies\":\"root\"}}\n"
      expect { described_class.parse_many(text) }
        .to raise_error(PipelineGuard::InvalidInput, /\Aline 3: audit entry does not have OpenBao's shape/)
    end

    it "skips blank lines and accepts CRLF" do
      line = response("read", "secrets/kv/data/explicit/A", project)
      expect(described_class.parse_many("\n#{line}\r\n\n  \n#{line}").map(&:event_name))
        .to eq(%w[secrets_manager_read_project_secret] * 2)
      expect(described_class.parse_many("")).to eq([])
    end

    it "parses large batches (without the GVL) the same as small ones" do
      big = recorded * 40
      expect(big.bytesize).to be > 64 * 1024
      expect(described_class.parse_many(big).map(&:event_name)).to eq(entries.map(&:event_name) * 40)
    end
  end

  describe ".parse" do
    it "reads the facts of a recorded CI read", :gc_stress do
      read = entries.find { |e| e.event_name == "secrets_manager_read_group_secret" }
      expect(read).to have_attributes(
        type: "response", operation: "read", path: "secrets/kv/data/explicit/DB_PASSWORD",
        namespace_path: "org_1/group_10/group_10/", remote_address: "127.0.0.1", token_type: "service",
        policies: %w[default secrets], mount_type: "kv", error: nil,
        event_message: "Read group secret", event_kind: :read, event_scope: :group, secret_name: "DB_PASSWORD",
        user_id: 7, project_id: 20, group_id: 10, pipeline_id: "12345", job_id: "67890", actor_type: :job
      )
      expect(read).not_to be_saved_to_database
      expect(read.metadata).to include("job_id" => "67890", "group_id" => "10")
      expect(read.request_id).to match(/\A\h{8}-/)
      expect(read.namespace_id).to be_a(String)
    end

    it "classifies as GitLab 19.4 does", :gc_stress do
      completed = { "custom_metadata" => { "update_completed_at" => "hmac-sha256:00" } }
      started = { "custom_metadata" => { "update_started_at" => "hmac-sha256:00" } }
      group = project.merge("group_id" => "10")
      {
        ["read", "secrets/kv/data/explicit/A", project, nil] => "secrets_manager_read_project_secret",
        ["create", "/secrets/kv/data/explicit/A", project, nil] => "secrets_manager_create_project_secret",
        ["update", "secrets/kv/metadata/explicit/A", project, completed] => "secrets_manager_update_project_secret",
        ["update", "secrets/kv/metadata/explicit/A", project, started] => nil,
        ["update", "secrets/kv/data/explicit/A", project, nil] => nil,
        ["delete", "secrets/kv/metadata/explicit/A", project, nil] => "secrets_manager_delete_project_secret",
        ["delete", "secrets/kv/metadata/explicit/A", group, nil] => "secrets_manager_delete_group_secret",
        ["read", "secrets/kv/data/explicit/A-B", project, nil] => nil,
        ["read", "secrets/kv/data/explicit/A", { "user_id" => "7" }, nil] => nil,
        ["list", "secrets/kv/metadata/explicit", project, nil] => nil
      }.each do |(operation, path, metadata, data), name|
        entry = described_class.parse(response(operation, path, metadata, data))
        expect(entry.event_name).to eq(name), "#{operation} #{path} #{metadata} #{data}"
        expect(entry.event?).to eq(!name.nil?)
      end
    end

    it "never counts request entries" do
      line = response("read", "secrets/kv/data/explicit/A", project).sub('"type":"response"', '"type":"request"')
      entry = described_class.parse(line)
      expect(entry.type).to eq("request")
      expect(entry.event_name).to be_nil
    end

    it "keeps OpenBao's error and still classifies, as GitLab does" do
      line = response("read", "secrets/kv/data/explicit/A", project).sub("{", '{"error":"permission denied",')
      expect(described_class.parse(line)).to have_attributes(error: "permission denied",
                                                             event_name: "secrets_manager_read_project_secret")
    end

    it "reads ids only when they are plain decimal numbers" do
      entry = described_class.parse(response("read", "secrets/kv/data/explicit/A",
                                             { "user_id" => "7abc", "project_id" => " 20" }))
      expect(entry).to have_attributes(user_id: nil, project_id: nil, actor_type: nil,
                                       event_name: "secrets_manager_read_project_secret")
    end

    it "ignores unknown fields" do
      line = response("read", "secrets/kv/data/explicit/A", project).sub("{", '{"future":{"x":[1,{"y":null}]},')
      expect(described_class.parse(line).event_name).to eq("secrets_manager_read_project_secret")
    end

    it "refuses hostile input with InvalidInput that never quotes it", :gc_stress do
      [
        "", "   \n", "nope", "{", "[]", '"SECRET_VALUE"', '{"type":"SECRET_VALUE"}',
        '{"type":"response","auth":{"metadata":{"user_id":7}}}',
        '{"type":"response","request":{"data":"SECRET_VALUE"}}',
        "{\"type\":\"response\",\"x\":\"\xFF\"}".b,
        "{\"type\":\"response\",\"pad\":\"#{'a' * described_class::MAX_ENTRY_BYTES}\"}"
      ].each do |bad|
        expect { described_class.parse(bad) }.to raise_error(PipelineGuard::InvalidInput) { |e|
          expect(e.message).not_to include("SECRET_VALUE")
        }
      end
    end

    it "survives deep nesting without exhausting the stack" do
      deep = ("[" * 200_000) + ("]" * 200_000)
      expect(described_class.parse(%({"type":"response","future":#{deep}})).type).to eq("response")
      expect { described_class.parse(%({"type":"response","auth":{"policies":#{deep}}})) }
        .to raise_error(PipelineGuard::InvalidInput)
    end

    it "takes exactly 1 MiB - 1 bytes" do
      head = '{"type":"response","pad":"'
      line = "#{head}#{'a' * (described_class::MAX_ENTRY_BYTES - head.bytesize - 2)}\"}"
      expect(described_class.parse(line).type).to eq("response")
      expect { described_class.parse("#{line} ") }.to raise_error(PipelineGuard::InvalidInput, /1048576 bytes/)
    end

    it "raises TypeError for non-Strings" do
      expect { described_class.parse(nil) }.to raise_error(TypeError)
      expect { described_class.parse_many(1) }.to raise_error(TypeError)
    end

    it "inspects without metadata or data" do
      entry = described_class.parse(response("read", "secrets/kv/data/explicit/A", project))
      expect(entry.inspect).to eq("#<PipelineGuard::OpenBao::AuditLog::Entry response read " \
                                  '"secrets/kv/data/explicit/A" event=secrets_manager_read_project_secret>')
      expect(entry.inspect).not_to include("7")
    end

    it "cannot be allocated from Ruby" do
      expect { described_class::Entry.allocate }.to raise_error(TypeError)
    end
  end
end
