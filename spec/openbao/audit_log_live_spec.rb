# frozen_string_literal: true

# Drives a live OpenBao 2.7.2 with a `file` audit device as GitLab's secrets
# manager drives it, then reads the audit file back.
RSpec.describe PipelineGuard::OpenBao::AuditLog, :openbao do
  let(:flow) do
    OpenBaoAuditServer.start
    OpenBaoAuditFlow.provisioned(OpenBaoAuditServer.address, OpenBaoAuditServer::ROOT_TOKEN)
  end

  def entries_of
    flow
    offset = OpenBaoAuditServer.audit_size
    yield
    described_class.parse_many(OpenBaoAuditServer.audit_text(offset))
  end

  it "classifies every entry of a live create, update, read and delete", :gc_stress do
    entries = entries_of do
      %i[project group].each do |scope|
        user = flow.login(scope, "user_jwt", flow.user_claims(scope))
        flow.create(user, "LIVE_SECRET")
        flow.update(user, "LIVE_SECRET")
        job = flow.login(scope, "pipeline_jwt", flow.job_claims(scope, job_id: 501, pipeline_id: 77))
        flow.read(job, "LIVE_SECRET")
        flow.delete(user, "LIVE_SECRET")
      end
    end
    events = entries.select(&:event?)
    expect(events.map(&:event_name)).to eq(
      %w[create update read delete].map { |k| "secrets_manager_#{k}_project_secret" } +
      %w[create update read delete].map { |k| "secrets_manager_#{k}_group_secret" }
    )
    expect(events.map(&:secret_name).uniq).to eq(["LIVE_SECRET"])
    expect(events.map(&:remote_address).uniq).to eq(["127.0.0.1"])
    expect(events.select { |e| e.event_kind == :read }.map { |e| [e.job_id, e.pipeline_id, e.actor_type] })
      .to eq([["501", "77", :job]] * 2)
    expect(events.reject { |e| e.event_kind == :read }.map(&:actor_type).uniq).to eq([:user])
    expect(events.map(&:user_id).uniq).to eq([7])
    # Every request has its request entry, and none of them is an event.
    expect(entries.count { |e| e.type == "request" }).to eq(entries.count { |e| e.type == "response" })
    expect(entries.select { |e| e.type == "request" }.map(&:event_name).uniq).to eq([nil])
  end

  it "classifies a denied read with OpenBao's error text, as GitLab would" do
    entries = entries_of do
      job = flow.login(:project, "pipeline_jwt", flow.job_claims(:project, job_id: 9, pipeline_id: 8))
      expect { job.get("sys/mounts") }.to raise_error(PipelineGuard::OpenBao::ClientError, /403/)
      expect { flow.read(job, "NOT_THERE") }.to raise_error(PipelineGuard::OpenBao::ClientError, /404/)
    end
    denied = entries.find { |e| e.type == "response" && e.path == "sys/mounts" }
    expect(denied.error).to eq("1 error occurred:\n\t* permission denied\n\n")
    expect(denied.event_name).to be_nil
    missing = entries.find { |e| e.type == "response" && e.path == "secrets/kv/data/explicit/NOT_THERE" }
    expect(missing.event_name).to eq("secrets_manager_read_project_secret")
  end
end
